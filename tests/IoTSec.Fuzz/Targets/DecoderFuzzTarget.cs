using System;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// A target for a decoder whose contract is simply "decode or throw
/// <paramref name="rejection"/>": one line per decoder in <see cref="FuzzTargets"/>.
/// </summary>
public sealed class DecoderFuzzTarget(string name, Action<byte[]> decode, Type rejection) : FuzzTarget
{
    public override string Name => name;

    protected override void Decode(byte[] input) => decode(input);

    protected override bool IsExpectedRejection(Exception exception) => rejection.IsInstanceOfType(exception);
}
