using System.Globalization;
using System.Text;

namespace Bulwark.LogGen;

/// <summary>
/// Writes a plain indicator list of feed scale for <c>bench/intel-scan.sh</c>: 40% IPv4 addresses, 5% networks (/24 to
/// /32, as blocklists publish them), 25% domains, 10% URLs, 20% SHA-256 — random, so almost none touch the generated
/// traffic — plus the planted ProxyLogon attacker's address, so the scan has something to attribute. Deterministic per
/// seed.
/// </summary>
public static class IntelListGenerator
{
    public const string Usage = "usage: Bulwark.LogGen intel --out FILE [--count 1000000] [--seed 1]";

    public static int Run(string[] args)
    {
        string? output = null;
        var count = 1_000_000;
        ulong seed = 1;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--out" when value is not null: output = value; i++; break;
                case "--count" when value is not null && int.TryParse(value, CultureInfo.InvariantCulture, out count) && count > 0: i++; break;
                case "--seed" when value is not null && ulong.TryParse(value, CultureInfo.InvariantCulture, out seed): i++; break;
                default:
                    Console.Error.WriteLine($"error: unexpected '{args[i]}'");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        if (output is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var rng = new Rng(seed);
        using var writer = new StreamWriter(output, append: false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine("# Bulwark benchmark intel: random indicators of feed scale (not real intelligence)");
        writer.WriteLine(Plant.ProxyLogonPlant.AttackerIp);
        var digest = new byte[32];
        for (var i = 1; i < count; i++)
        {
            var roll = rng.Next(0, 100);
            if (roll < 40)
            {
                writer.WriteLine(Ip(rng));
            }
            else if (roll < 45)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Ip(rng)}/{rng.Next(24, 33)}"));
            }
            else if (roll < 70)
            {
                writer.WriteLine(Domain(rng));
            }
            else if (roll < 80)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"https://{Domain(rng)}/{Label(rng)}/{Label(rng)}.php?id={rng.Next(0, int.MaxValue)}"));
            }
            else
            {
                for (var b = 0; b < digest.Length; b++)
                {
                    digest[b] = (byte)rng.Next(0, 256);
                }

                writer.WriteLine(Convert.ToHexStringLower(digest));
            }
        }

        Console.Error.WriteLine($"wrote {count:N0} indicators to {output}");
        return 0;
    }

    private static string Ip(Rng r) => string.Create(CultureInfo.InvariantCulture, $"{r.Next(1, 224)}.{r.Next(0, 256)}.{r.Next(0, 256)}.{r.Next(1, 255)}");

    private static string Domain(Rng r) => $"{Label(r)}.{Label(r)}.{(r.Next(0, 3) switch { 0 => "com", 1 => "net", _ => "org" })}";

    private static string Label(Rng r)
    {
        Span<char> chars = stackalloc char[r.Next(4, 12)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + r.Next(0, 26));
        }

        return new string(chars);
    }
}
