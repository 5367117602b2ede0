using System;

namespace IoTSec.Provision.Profiles;

/// <summary>A profile refused: the message names the file, the key and, where known, the line.</summary>
public sealed class ProfileException : Exception
{
    /// <summary>Creates the error.</summary>
    public ProfileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ProfileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
