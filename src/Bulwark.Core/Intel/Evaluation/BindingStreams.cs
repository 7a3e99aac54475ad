namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// Lazy streams of bindings, after the reference matcher's generators: every operator pulls from its operands only
/// as far as it needs, so the first match is found without listing every combination, and every candidate examined
/// costs a step of the budget.
/// </summary>
internal static class BindingStreams
{
    /// <summary>
    /// Pairs from two streams that <paramref name="combine"/> accepts, pulling from both in turn (each new binding is
    /// tried against everything the other side gave so far) so neither side has to be exhausted first.
    /// </summary>
    public static IEnumerable<Binding> Join(IEnumerable<Binding> left, IEnumerable<Binding> right, Func<Binding, Binding, Binding?> combine, MatchState state)
    {
        using var l = left.GetEnumerator();
        using var r = right.GetEnumerator();
        if (!l.MoveNext() || !r.MoveNext())
        {
            yield break;
        }

        var leftSeen = new List<Binding>();
        var rightSeen = new List<Binding>();
        Binding? nextLeft = l.Current;
        Binding? nextRight = r.Current;
        while (nextLeft is not null || nextRight is not null)
        {
            if (nextRight is { } b)
            {
                foreach (var a in leftSeen)
                {
                    state.Step();
                    if (combine(a, b) is { } joined)
                    {
                        yield return joined;
                    }
                }

                rightSeen.Add(b);
            }

            if (nextLeft is { } c)
            {
                foreach (var d in rightSeen)
                {
                    state.Step();
                    if (combine(c, d) is { } joined)
                    {
                        yield return joined;
                    }
                }

                leftSeen.Add(c);
            }

            // Pull the next ones only now, so a consumer that stops at the first match never makes either side look further.
            nextRight = nextRight is not null && r.MoveNext() ? r.Current : null;
            nextLeft = nextLeft is not null && l.MoveNext() ? l.Current : null;
        }
    }

    /// <summary>Every binding of every stream, taking one from each in turn (pattern-level OR).</summary>
    public static IEnumerable<Binding> Interleave(IReadOnlyList<IEnumerable<Binding>> streams, MatchState state)
    {
        var enumerators = new List<IEnumerator<Binding>>(streams.Count);
        try
        {
            foreach (var stream in streams)
            {
                enumerators.Add(stream.GetEnumerator());
            }

            var live = new List<IEnumerator<Binding>>(enumerators);
            while (live.Count > 0)
            {
                for (var i = 0; i < live.Count; i++)
                {
                    state.Step();
                    if (live[i].MoveNext())
                    {
                        yield return live[i].Current;
                    }
                    else
                    {
                        live.RemoveAt(i--);
                    }
                }
            }
        }
        finally
        {
            foreach (var enumerator in enumerators)
            {
                enumerator.Dispose();
            }
        }
    }

    /// <summary>The bindings that pass <paramref name="keep"/>.</summary>
    public static IEnumerable<Binding> Filter(IEnumerable<Binding> source, Func<Binding, bool> keep, MatchState state)
    {
        foreach (var binding in source)
        {
            state.Step();
            if (keep(binding))
            {
                yield return binding;
            }
        }
    }

    /// <summary>
    /// REPEATS: sets of <paramref name="times"/> bindings that share no observation instance, each merged into one.
    /// As each new binding arrives, the sets it completes with earlier ones are listed. <paramref name="prune"/>, when
    /// given, is a condition that can only get harder as bindings are added (WITHIN, START/STOP right after REPEATS):
    /// a partial set failing it is not extended.
    /// </summary>
    public static IEnumerable<Binding> Repeat(IEnumerable<Binding> source, int times, TimeTest? prune, MatchState state)
    {
        if (times <= 1)
        {
            return prune is null ? source : Filter(source, b => prune(b.MaxFirst, b.MinLast), state);
        }

        return RepeatSets(source, times, prune, state);
    }

    private static IEnumerable<Binding> RepeatSets(IEnumerable<Binding> source, int times, TimeTest? prune, MatchState state)
    {
        var seen = new List<Binding>();
        foreach (var next in source)
        {
            state.Step();
            if (prune is not null && !prune(next.MaxFirst, next.MinLast))
            {
                continue;
            }

            if (seen.Count >= times - 1)
            {
                var candidates = new List<Binding>();
                foreach (var earlier in seen)
                {
                    state.Step();
                    if (Fits(next, earlier, prune))
                    {
                        candidates.Add(earlier);
                    }
                }

                if (Enough(candidates, times - 1, state))
                {
                    foreach (var set in SetsWith(candidates, times - 1, next, prune, state))
                    {
                        yield return set;
                    }
                }
            }

            seen.Add(next);
        }
    }

    /// <summary>
    /// Depth-first over <paramref name="need"/> of <paramref name="candidates"/>, in order, each disjoint from
    /// <paramref name="seed"/> and from each other. Each level keeps only the later candidates still compatible with
    /// what is chosen, and gives up when they cannot supply enough distinct instances.
    /// </summary>
    private static IEnumerable<Binding> SetsWith(List<Binding> candidates, int need, Binding seed, TimeTest? prune, MatchState state)
    {
        var pools = new List<Binding>[need];
        pools[0] = candidates;
        var chosen = new int[need];
        var merged = new Binding[need + 1];
        merged[0] = seed;
        var depth = 0;
        chosen[0] = -1;
        while (depth >= 0)
        {
            var pool = pools[depth];
            chosen[depth]++;
            if (chosen[depth] > pool.Count - (need - depth))
            {
                depth--;
                continue;
            }

            state.Step();
            var pick = pool[chosen[depth]];
            var next = Binding.Merge(merged[depth], pick)!;
            if (depth + 1 == need)
            {
                yield return next;
                continue;
            }

            var nextPool = pools[depth + 1] ??= [];
            nextPool.Clear();
            for (var k = chosen[depth] + 1; k < pool.Count; k++)
            {
                state.Step();
                if (Fits(next, pool[k], prune))
                {
                    nextPool.Add(pool[k]);
                }
            }

            if (!Enough(nextPool, need - depth - 1, state))
            {
                continue;
            }

            merged[depth + 1] = next;
            depth++;
            chosen[depth] = -1;
        }
    }

    /// <summary>The two bindings share no instance and, together, pass the time condition.</summary>
    private static bool Fits(Binding a, Binding b, TimeTest? prune) =>
        Binding.Disjoint(a, b) && (prune is null || prune(Math.Max(a.MaxFirst, b.MaxFirst), Math.Min(a.MinLast, b.MinLast)));

    /// <summary>
    /// Whether <paramref name="pool"/> could still give <paramref name="need"/> disjoint bindings: enough of them, and
    /// enough distinct instances for that many of the smallest.
    /// </summary>
    private static bool Enough(List<Binding> pool, int need, MatchState state)
    {
        if (pool.Count < need)
        {
            return false;
        }

        if (need <= 1)
        {
            return true;
        }

        var smallest = int.MaxValue;
        var instances = new HashSet<int>();
        foreach (var binding in pool)
        {
            state.Step();
            smallest = Math.Min(smallest, binding.Slots.Length);
            foreach (var slot in binding.Slots)
            {
                instances.Add(Binding.InstanceOf(slot));
            }
        }

        return instances.Count >= (long)need * smallest;
    }
}
