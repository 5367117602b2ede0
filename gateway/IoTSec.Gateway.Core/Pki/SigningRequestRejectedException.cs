using System;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>A certificate signing request was refused; <see cref="Reason"/> says why.</summary>
public sealed class SigningRequestRejectedException : Exception
{
    public SigningRequestRejectedException(SigningRequestRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public SigningRequestRejectedException(SigningRequestRejection reason, string message, Exception inner)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>The typed reason.</summary>
    public SigningRequestRejection Reason { get; }
}
