using System;

namespace IoTSec.Gateway.Est;

/// <summary>
/// A request the EST service refuses. <see cref="Exception.Message"/> is what the client
/// reads after the code word: short, and free of certificate details and internal state.
/// </summary>
public sealed class EstRefusedException : Exception
{
    public EstRefusedException(EstRefusal reason, string message, TimeSpan? retryAfter = null, string? deviceId = null)
        : base(message)
    {
        Reason = reason;
        RetryAfter = retryAfter;
        DeviceId = deviceId;
    }

    public EstRefusedException(EstRefusal reason, string message, Exception inner)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>The typed reason.</summary>
    public EstRefusal Reason { get; }

    /// <summary>The HTTP status of <see cref="Reason"/>.</summary>
    public int StatusCode => EstRefusals.StatusOf(Reason);

    /// <summary>When to try again (429 and 503), sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The device concerned, when known (for the audit counters).</summary>
    public string? DeviceId { get; init; }
}
