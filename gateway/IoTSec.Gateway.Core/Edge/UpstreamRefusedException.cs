using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// An <see cref="IUpstreamQueue"/> did not accept a message (its spool is full): the message is
/// not persisted and will not go upstream. Callers on the device path refuse the device's
/// message instead of failing its session; the queue has already counted and reported it.
/// </summary>
public class UpstreamRefusedException : Exception
{
    /// <summary>Creates it.</summary>
    public UpstreamRefusedException()
        : base("the upstream queue refused the message")
    {
    }

    /// <summary>Creates it.</summary>
    /// <param name="message">Why, naming the limit that was reached.</param>
    public UpstreamRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates it.</summary>
    /// <param name="message">Why, naming the limit that was reached.</param>
    /// <param name="innerException">The storage error behind it.</param>
    public UpstreamRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
