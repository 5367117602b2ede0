using System;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>A backup was refused; <see cref="Reason"/> says why and the message names the detail. Fatal for that file: retrying does not help.</summary>
public sealed class BackupRejectedException : Exception
{
    public BackupRejectedException(BackupRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public BackupRejectedException(BackupRejection reason, string message, Exception inner)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>The reason code.</summary>
    public BackupRejection Reason { get; }
}
