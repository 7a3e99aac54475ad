using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;
using Bulwark.LogGen.Plant;
using Bulwark.LogGen.Traffic;

namespace Bulwark.LogGen;

/// <summary>
/// Writes the whole tree in one pass: benign traffic whose clock is driven by the bytes written (so the
/// window ends when the size is reached), with fixed-time events (OAB runs, an IIS restart and, with
/// --plant, the attacks and decoys) slotted in as the clock passes them.
/// </summary>
public static class LogTreeGenerator
{
    public static readonly DateTime WindowStart = new(2021, 3, 2, 0, 0, 0, DateTimeKind.Utc);
    private const int MailboxCount = 420;

    /// <summary>The folders the generator writes under --out.</summary>
    public static readonly string[] LogRoots = ["Program Files/Microsoft/Exchange Server/V15/Logging", "inetpub/logs"];

    public static GenerationResult Run(GeneratorOptions options)
    {
        var tree = new OutputTree(options.Out);
        var manifest = new Manifest();
        var org = Organization.Create(new Rng(options.Seed), MailboxCount);
        var clock = new TrafficClock(WindowStart, options.Days);
        using (var logs = new ExchangeLogs(tree))
        {
            var schedule = new Schedule(FixedEvents(options, logs, manifest, org));
            var traffic = new BenignTraffic(new Rng(options.Seed ^ 0xB0B0CAFE), org, logs);
            var last = clock.Start;
            while (tree.Written.Total < options.SizeBytes)
            {
                var t = clock.At((double)tree.Written.Total / options.SizeBytes);
                t = t < last ? last : t;
                schedule.RunDue(t);
                last = Max(last, traffic.Emit(t));
            }

            schedule.RunDue(DateTime.MaxValue);
        }

        return new GenerationResult(tree.Written.Total, manifest, clock.Start, clock.End);
    }

    private static IEnumerable<ScheduledEvent> FixedEvents(GeneratorOptions options, ExchangeLogs logs, Manifest manifest, Organization org)
    {
        var routine = RoutineEvents.Create(WindowStart, options.Days, logs, new Rng(options.Seed ^ 0x0AB0AB));
        if (!options.Plant)
        {
            return routine;
        }

        var context = new PlantContext(logs, manifest, org, new Rng(options.Seed ^ 0xA77AC4), WindowStart);
        return routine
            .Concat(new ProxyLogonPlant(context).Events())
            .Concat(new WebRequestPlant(context).Events())
            .Concat(new DecoyPlant(context).Events());
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
