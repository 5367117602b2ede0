using System;

namespace IoTSec.Gateway.Core.Tamper;

/// <summary>The tamper flag file is not a flag this gateway wrote (damaged, truncated, too large).</summary>
public sealed class TamperFlagException : Exception
{
    public TamperFlagException(string message)
        : base(message)
    {
    }

    public TamperFlagException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
