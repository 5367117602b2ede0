using System;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>A key store operation failed; the message names the key and the cause.</summary>
public sealed class GatewayKeyStoreException : Exception
{
    public GatewayKeyStoreException(string message)
        : base(message)
    {
    }

    public GatewayKeyStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
