using System;

namespace IoTSec.Fuzz;

/// <summary>
/// One decoder under fuzzing. <see cref="Run"/> feeds it arbitrary bytes; the decoder's
/// own typed rejection (its documented exception) is the expected way to refuse input and
/// is swallowed here. Any other exception escapes and is a finding: afl++ records it as a
/// crash, and the corpus replay test fails on it.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>Name used on the command line and as the corpus folder name.</summary>
    public abstract string Name { get; }

    /// <summary>Decodes <paramref name="input"/>; throws only for a bug.</summary>
    public void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            Decode(input);
        }
        catch (Exception ex) when (IsExpectedRejection(ex))
        {
            // Malformed input refused the documented way: not a finding.
        }
    }

    /// <summary>Runs the decoder (and, where it exists, re-encodes and compares).</summary>
    protected abstract void Decode(byte[] input);

    /// <summary>True for the decoder's typed rejection.</summary>
    protected abstract bool IsExpectedRejection(Exception exception);
}
