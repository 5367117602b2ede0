using System;
using System.IO;
using IoTSec.Fuzz;
using SharpFuzz;

// Usage:
//   IoTSec.Fuzz TARGET            run under afl-fuzz (input on stdin / afl's shared memory)
//   IoTSec.Fuzz TARGET --replay F run one input file outside afl (to reproduce a crash)
//   IoTSec.Fuzz --list            list target names
if (args.Length == 1 && args[0] == "--list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine(t.Name);
    }

    return 0;
}

var target = args.Length >= 1 ? FuzzTargets.Find(args[0]) : null;
if (target is null)
{
    Console.Error.WriteLine("usage: IoTSec.Fuzz TARGET [--replay FILE] | --list");
    return 2;
}

if (args.Length == 3 && args[1] == "--replay")
{
    target.Run(File.ReadAllBytes(args[2]));
    Console.WriteLine("no finding");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.ToArray());
});
return 0;
