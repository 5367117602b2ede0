using System;
using IoTSec.Firmware.Ota;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The application bundle parser the nanoFramework loader runs on a slot
/// (docs/protocols/app-bundle.md). Oracle: whatever it accepts must build back, through
/// <see cref="ApplicationBundle.Build"/>, to exactly the bytes it was parsed from — a parser
/// that accepted slack (a length it did not use, a byte it skipped) would break that.
/// </summary>
public sealed class ApplicationBundleFuzzTarget : FuzzTarget
{
    public override string Name => "app-bundle";

    protected override void Decode(byte[] input)
    {
        var bundle = ApplicationBundle.Parse(input);
        var names = new string[bundle.AssemblyCount];
        var assemblies = new byte[bundle.AssemblyCount][];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = bundle.GetAssemblyName(i);
            assemblies[i] = bundle.GetAssembly(i);
        }

        if (!ApplicationBundle.Build(bundle.EntryTypeName, names, assemblies).AsSpan().SequenceEqual(input))
        {
            throw new InvalidOperationException("an accepted bundle did not rebuild to the same bytes");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is BundleRejectedException;
}
