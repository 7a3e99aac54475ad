using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Sources.Exchange;

/// <summary>Exchange front-end proxy (CAFE) logs, every protocol folder.</summary>
public sealed class HttpProxyFormat : ExchangeCsvFormat
{
    public static readonly HttpProxyFormat Instance = new();

    public override LogKind Kind => LogKind.HttpProxy;

    protected override string FirstColumn => "DateTime";

    protected override bool VersionIsBuild => true;

    public override string? ClientAddressColumn => "ClientIpAddress";

    protected override HttpRequestView? CreateRequest(LogSchema schema, string[] values)
    {
        var stem = Get(schema, values, "UrlStem");
        if (stem.Length == 0)
        {
            return null;
        }

        _ = int.TryParse(Get(schema, values, "HttpStatus"), out var status);
        return new HttpRequestView(
            Get(schema, values, "Method"),
            stem,
            Get(schema, values, "UrlQuery").TrimStart('?'),
            status,
            Get(schema, values, "ClientIpAddress"),
            Get(schema, values, "UserAgent"));
    }

    private static string Get(LogSchema schema, string[] values, string name)
    {
        var i = schema.IndexOf(name);
        return i >= 0 && i < values.Length ? values[i] : "";
    }
}
