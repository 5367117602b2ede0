using System;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>The audit log cannot be opened or written (schema, I/O); an append that throws this was not recorded.</summary>
public sealed class AuditLogException : Exception
{
    public AuditLogException(string message)
        : base(message)
    {
    }

    public AuditLogException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
