using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Phones and tablets: Exchange ActiveSync (mostly long Ping requests) and Outlook mobile's Autodiscover v1.0.</summary>
public sealed class MobileTraffic(Rng rng, RequestFactory requests, ExchangeLogs logs)
{
    private static readonly (string Command, double Below)[] Commands =
    [
        ("Ping", 0.55), ("Sync", 0.84), ("FolderSync", 0.89), ("GetItemEstimate", 0.94), ("SendMail", 0.97),
        ("ItemOperations", 1.0),
    ];

    public DateTime Emit(DateTime t, Mailbox user, EasDevice device)
    {
        if (device.DeviceType == "Outlook" && rng.Chance(0.08))
        {
            return AutodiscoverJson(t, user, device);
        }

        return ActiveSync(t, user, device, PickCommand());
    }

    private DateTime ActiveSync(DateTime t, Mailbox user, EasDevice device, string command)
    {
        var query = $"Cmd={command}&User={user.Name}&DeviceId={device.DeviceId}&DeviceType={device.DeviceType}";
        var r = requests.New(t, "Eas", "POST", Organization.MailHost, "/Microsoft-Server-ActiveSync/default.eas")
            .WithQuery(query)
            .By(user.DomainAccount, user.DomainAccount, "Basic")
            .From(device.Ip, device.UserAgent)
            .ProxiedTo("/Microsoft-Server-ActiveSync/Proxy/default.eas", user.SidAnchor, "WindowsIdentity")
            .Sized(rng.Next(150, 2500), rng.Next(13, 30000), command == "Ping" ? rng.Next(60000, 900000) : rng.Latency(180));
        r.ProtocolAction = command;
        logs.Write(r);
        return t;
    }

    /// <summary>Outlook for iOS and Android asks where a mailbox lives, anonymously, with a Protocol parameter.</summary>
    private DateTime AutodiscoverJson(DateTime t, Mailbox user, EasDevice device)
    {
        var stem = "/autodiscover/autodiscover.json/v1.0/" + user.Upn;
        var r = requests.New(t, "Autodiscover", "GET", Organization.AutodiscoverHost, stem)
            .WithQuery("Protocol=ActiveSync&RedirectCount=1")
            .From(device.Ip, device.UserAgent)
            .ProxiedTo(stem, user.SmtpAnchor, "Smtp")
            .Sized(rng.Next(400, 700), rng.Next(180, 260), rng.Latency(12));
        logs.Write(r);
        return t;
    }

    private string PickCommand()
    {
        var roll = rng.NextDouble();
        foreach (var (command, below) in Commands)
        {
            if (roll < below)
            {
                return command;
            }
        }

        return "Ping";
    }
}
