using System;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>nft refused a ruleset (check or apply) or could not run; the kernel's ruleset is unchanged.</summary>
public sealed class NftablesCommandException : Exception
{
    /// <summary>Creates the exception with nft's own message.</summary>
    public NftablesCommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NftablesCommandException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public NftablesCommandException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
