using System.ComponentModel.DataAnnotations;
using Bulwark.Server.Taxii;
using Microsoft.AspNetCore.Http;

namespace Bulwark.Server.Tests;

public sealed class TaxiiOptionsTests
{
    [Fact]
    public void Discovery_urls_come_from_the_public_url_when_set_and_from_the_request_otherwise()
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("10.0.0.5:8080");
        http.Request.PathBase = "/bulwark";

        Assert.Equal("http://10.0.0.5:8080/bulwark/taxii2/bulwark/", new TaxiiOptions().ApiRootUrl(http.Request));
        Assert.Equal("https://cti.example/base/taxii2/members/", new TaxiiOptions { PublicUrl = new Uri("https://cti.example/base/"), ApiRoot = "members" }.ApiRootUrl(http.Request));
    }

    [Theory]
    [InlineData(24, true)]
    [InlineData(1, true)]
    [InlineData(8784, true)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(8785, false)]
    public void Status_retention_is_one_hour_to_a_year(int hours, bool valid)
    {
        var options = new TaxiiOptions { StatusRetentionHours = hours };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(valid ? Array.Empty<string>() : ["StatusRetentionHours"], results.SelectMany(r => r.MemberNames));
        Assert.Equal(24, new TaxiiOptions().StatusRetentionHours);
    }
}
