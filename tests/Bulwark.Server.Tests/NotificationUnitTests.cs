using System.Net;
using Bulwark.Server.Notification;

namespace Bulwark.Server.Tests;

/// <summary>The notification module's pure parts: address policy, email texts, keys, options.</summary>
public sealed class NotificationUnitTests
{
    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void Webhooks_go_only_to_public_addresses(string address, bool allowed)
    {
        Assert.Equal(allowed, WebhookAddress.IsAllowed(IPAddress.Parse(address), allowLoopback: false));
    }

    [Fact]
    public void Loopback_webhooks_need_the_option()
    {
        Assert.True(WebhookAddress.IsAllowed(IPAddress.Loopback, allowLoopback: true));
        Assert.True(WebhookAddress.IsAllowed(IPAddress.IPv6Loopback, allowLoopback: true));
        Assert.Null(WebhookAddress.Problem("http://127.0.0.1:5000/hook", allowLoopback: true));
        Assert.Equal("the URL must use https", WebhookAddress.Problem("http://127.0.0.1:5000/hook", allowLoopback: false));
        Assert.Equal("the URL points to this machine; webhooks go to public addresses", WebhookAddress.Problem("https://localhost/hook", allowLoopback: false));
        Assert.Equal("the URL must use https", WebhookAddress.Problem("http://hooks.example.org/hook", allowLoopback: true));
        Assert.Null(WebhookAddress.Problem("https://hooks.example.org/hook?x=1", allowLoopback: false));
        Assert.Equal("the URL must not have a fragment (#…)", WebhookAddress.Problem("https://hooks.example.org/hook#a", allowLoopback: false));
    }

    [Theory]
    [InlineData("Beacon to http://evil.example/x", "Beacon to hxxp[:]//evil[.]example/x")]
    [InlineData("Phishing from HTTPS://login-example.com", "Phishing from hxxpS[:]//login-example[.]com")]
    [InlineData("Lure hosted at www.evil.co", "Lure hosted at www[.]evil[.]co")]
    [InlineData("HttpProxy log shows SSRF (CVE-2021-26855)", "HttpProxy log shows SSRF (CVE-2021-26855)")]
    public void Email_titles_are_defanged(string title, string expected)
    {
        Assert.Equal(expected, NoticeEmail.Defang(title));
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("en", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("de", "en")]
    [InlineData("pt-BR", "en")]
    [InlineData("fr", "fr")]
    [InlineData("fr-BE", "fr")]
    [InlineData("es-419", "es")]
    [InlineData("ES", "es")]
    public void A_language_gets_its_template_by_primary_subtag_and_others_get_English(string? language, string expected)
    {
        Assert.Equal(expected, EmailTexts.For(language).Language);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("es")]
    public void Every_template_is_complete_carries_no_link_and_keeps_the_placeholders(string language)
    {
        var texts = EmailTexts.ByLanguage[language];
        var all = string.Join(' ', texts.Subject, texts.Heading, texts.Announcement, texts.NoticeIdLabel, texts.TitleLabel, texts.SeverityLabel, texts.HowToRead, texts.NeverAsks, texts.Escalated, texts.PersonalTitle);
        Assert.DoesNotContain("http", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("www", all, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("{id}", texts.Subject, StringComparison.Ordinal);
        Assert.Contains("{severity}", texts.Subject, StringComparison.Ordinal);
        Assert.Contains("{title}", texts.Subject, StringComparison.Ordinal);
        Assert.Equal(Enum.GetValues<Bulwark.Core.Findings.Severity>().Length, texts.Severities.Count);
        Assert.All(texts.Severities.Values, w => Assert.False(string.IsNullOrWhiteSpace(w)));
        if (language != "en")
        {
            Assert.NotEqual(EmailTexts.English.HowToRead, texts.HowToRead);
        }
    }

    [Fact]
    public void Keys_and_message_ids_are_stable_per_notice_channel_and_recipient()
    {
        var notice = Guid.Parse("0195f0c1-0000-7000-8000-000000000001");
        Assert.Equal(DeliveryKeys.Email(notice, "SOC@Member.Test "), DeliveryKeys.Email(notice, "soc@member.test"));
        Assert.NotEqual(DeliveryKeys.Email(notice, "soc@member.test"), DeliveryKeys.Email(notice, "ciso@member.test"));
        Assert.Matches("^ntc_0195f0c1000070008000000000000001_em_[0-9a-f]{32}$", DeliveryKeys.Email(notice, "soc@member.test"));
        Assert.Equal(
            NoticeEmail.MessageIdFor("ntc_a_em_b", "alerts.example.org"),
            NoticeEmail.MessageIdFor("ntc_a_em_b", "alerts.example.org"));
        Assert.Matches("^[0-9a-f]{40}@alerts.example.org$", NoticeEmail.MessageIdFor("ntc_a_em_b", "alerts.example.org"));
    }

    [Fact]
    public void Default_settings_are_valid_and_bad_ones_are_named()
    {
        Assert.Empty(new NotificationOptions().Problems());
        Assert.Empty(new SmtpOptions().Problems());
        Assert.Equal(
            ["Smtp:From is required, e.g. \"Bulwark <notices@alerts.example.org>\"", "Smtp:Username and Smtp:Password go together: give both or neither"],
            new SmtpOptions { Host = "smtp.example.org", Username = "bulwark" }.Problems());
        Assert.Equal(
            ["Smtp:DkimPrivateKeyPath: no file at \"/nonexistent/dkim.pem\""],
            new SmtpOptions { Host = "smtp.example.org", From = "n@example.org", DkimDomain = "example.org", DkimSelector = "s", DkimPrivateKeyPath = "/nonexistent/dkim.pem" }.Problems());
        var notPem = Path.GetTempFileName();
        try
        {
            File.WriteAllText(notPem, "not a key");
            Assert.Equal(
                [$"Smtp:DkimPrivateKeyPath: \"{notPem}\" is not a readable RSA private key in PEM format"],
                new SmtpOptions { Host = "smtp.example.org", From = "n@example.org", DkimDomain = "example.org", DkimSelector = "s", DkimPrivateKeyPath = notPem }.Problems()
                    .Select(p => p[..p.IndexOf(" (", StringComparison.Ordinal)]));
        }
        finally
        {
            File.Delete(notPem);
        }

        Assert.Equal(
            ["Notifications:MaxBackoff must be at least Notifications:BackoffBase (is 00:00:10)"],
            new NotificationOptions { MaxBackoff = TimeSpan.FromSeconds(10) }.Problems());
    }
}
