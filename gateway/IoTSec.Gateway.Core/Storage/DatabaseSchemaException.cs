using System;

namespace IoTSec.Gateway.Core.Storage;

/// <summary>
/// A database cannot be used by this version of the gateway: its schema is newer than the
/// code (a downgrade), or it is not one of ours.
/// </summary>
public sealed class DatabaseSchemaException : Exception
{
    public DatabaseSchemaException(string message)
        : base(message)
    {
    }

    public DatabaseSchemaException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
