using System;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>The gateway's own PKI material is unusable (wrong key, expired or mismatched certificates); the message says which and why.</summary>
public sealed class GatewayPkiException : Exception
{
    public GatewayPkiException(string message)
        : base(message)
    {
    }

    public GatewayPkiException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
