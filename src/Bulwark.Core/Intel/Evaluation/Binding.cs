namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// A partial or complete match: which observation instance is bound to which bracketed expression (slots sorted by
/// instance, so joining two bindings is a merge that also checks no instance is used twice), and the latest
/// first-observed and earliest last-observed times, which are all WITHIN, FOLLOWEDBY and START/STOP need.
/// </summary>
internal sealed class Binding(long[] slots, long maxFirst, long minLast)
{
    public long[] Slots { get; } = slots;

    public long MaxFirst { get; } = maxFirst;

    public long MinLast { get; } = minLast;

    public static long Slot(int instance, int leaf) => ((long)instance << 32) | (uint)leaf;

    public static int InstanceOf(long slot) => (int)(slot >> 32);

    public static int LeafOf(long slot) => (int)(uint)slot;

    /// <summary>True when the bindings share no observation instance.</summary>
    public static bool Disjoint(Binding a, Binding b)
    {
        var x = a.Slots;
        var y = b.Slots;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var xi = InstanceOf(x[i]);
            var yj = InstanceOf(y[j]);
            if (xi == yj)
            {
                return false;
            }

            if (xi < yj)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return true;
    }

    /// <summary>Both bindings together, or null when they share an observation instance.</summary>
    public static Binding? Merge(Binding a, Binding b)
    {
        var x = a.Slots;
        var y = b.Slots;
        var merged = new long[x.Length + y.Length];
        int i = 0, j = 0, k = 0;
        while (i < x.Length && j < y.Length)
        {
            var xi = InstanceOf(x[i]);
            var yj = InstanceOf(y[j]);
            if (xi == yj)
            {
                return null;
            }

            merged[k++] = xi < yj ? x[i++] : y[j++];
        }

        while (i < x.Length)
        {
            merged[k++] = x[i++];
        }

        while (j < y.Length)
        {
            merged[k++] = y[j++];
        }

        return new Binding(merged, Math.Max(a.MaxFirst, b.MaxFirst), Math.Min(a.MinLast, b.MinLast));
    }
}
