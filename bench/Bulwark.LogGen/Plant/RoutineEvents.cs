using Bulwark.LogGen.Logs;

namespace Bulwark.LogGen.Plant;

/// <summary>
/// Benign fixed-time events: the OAB generator's run every eight hours, and one restart of the front-end
/// IIS site after which it also logs cs(Cookie) (written with or without --plant).
/// </summary>
public static class RoutineEvents
{
    public const string OabGuid = "5b8d0c49-b5a3-4d6b-9c8e-2f1a7d9e3c41";
    private const string OabName = "'Default Offline Address Book'";
    private const string OabFolder = @"C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\OAB\" + OabGuid;

    public static IEnumerable<ScheduledEvent> Create(DateTime start, int days, ExchangeLogs logs, Rng rng)
    {
        for (var day = 0; day < days; day++)
        {
            foreach (var hour in new[] { 3, 11, 19 })
            {
                var t = start.AddDays(day).AddHours(hour).AddMinutes(12).AddMilliseconds(rng.Next(0, 59000));
                var entries = rng.Next(398, 412);
                yield return new ScheduledEvent(t, () => OabRun(logs, t, entries));
            }
        }

        var restart = IisRestartTime(start);
        yield return new ScheduledEvent(restart, () => logs.RestartFrontEndIis(restart, logCookie: true));
    }

    /// <summary>Day three, late morning: the admin turns on cookie logging and IIS restarts the site.</summary>
    public static DateTime IisRestartTime(DateTime start) => start.AddDays(2).AddHours(11).AddMinutes(2).AddSeconds(17);

    private static void OabRun(ExchangeLogs logs, DateTime t, int entries)
    {
        logs.WriteOabGenerator(t, "OABGeneration.Start",
            $"Offline address book generation started for {OabName} ({OabGuid}) on organization mailbox 'SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}'.");
        logs.WriteOabGenerator(t.AddMilliseconds(1207), "OABGeneration.Stats", $"Processed {entries} address entries; 0 errors.");
        logs.WriteOabGenerator(t.AddMilliseconds(2811), "OABGeneration.Upload", $"Files for {OabName} written to '{OabFolder}'.");
        logs.WriteOabGenerator(t.AddMilliseconds(3104), "OABGeneration.Complete",
            $"Offline address book generation completed for {OabName} in 00:00:03.104.");
    }
}
