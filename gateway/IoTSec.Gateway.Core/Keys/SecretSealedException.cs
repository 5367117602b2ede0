using System;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>A sealed secret could not be unsealed: the gateway is marked tampered, or the blob is damaged.</summary>
public sealed class SecretSealedException : Exception
{
    public SecretSealedException(string message)
        : base(message)
    {
    }

    public SecretSealedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
