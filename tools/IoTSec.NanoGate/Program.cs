using System;
using System.IO;
using IoTSec.NanoGate;

// Usage: IoTSec.NanoGate ASSEMBLY...
// Exit 0 when every assembly is free of constructs the nanoFramework runtime cannot run;
// exit 1 with one MSBuild-formatted error per violation otherwise.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: IoTSec.NanoGate ASSEMBLY...");
    return 2;
}

var failed = false;
foreach (var path in args)
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{path}: error NANOGATE0: assembly not found");
        failed = true;
        continue;
    }

    foreach (var violation in NanoCompatibilityScanner.Scan(path))
    {
        // "file: error CODE: text" is what MSBuild's Exec task recognises as an error.
        Console.Error.WriteLine($"{path}: error NANOGATE1: nanoFramework cannot run {violation}");
        failed = true;
    }
}

if (!failed)
{
    Console.WriteLine($"nanoFramework gate: {args.Length} assembly(ies) portable");
}

return failed ? 1 : 0;
