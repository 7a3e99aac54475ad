using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Bulwark.Benchmarks.SampleLogs).Assembly).Run(args);
