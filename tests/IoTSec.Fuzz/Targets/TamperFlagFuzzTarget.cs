using System;
using IoTSec.Gateway.Core.Tamper;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The gateway's persisted tamper flag (data directory, editable by anyone who reaches it).
/// Oracle: an accepted flag re-encodes to a flag that decodes to the same values.
/// </summary>
public sealed class TamperFlagFuzzTarget : FuzzTarget
{
    public override string Name => "tamper-flag";

    protected override void Decode(byte[] input)
    {
        var flag = TamperFlagFormat.Decode(input);
        var again = TamperFlagFormat.Decode(TamperFlagFormat.Encode(flag));
        if (again.Since != flag.Since || !string.Equals(again.Reason, flag.Reason, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a decoded tamper flag does not survive re-encoding");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is TamperFlagException;
}
