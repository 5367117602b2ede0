namespace IoTSec.Gateway.Forwarder;

/// <summary>What a spooled record carries; the letter is its "k" on the wire (docs/protocols/upstream.md).</summary>
public enum SpoolRecordKind
{
    /// <summary>"d": an RFC 7396 merge patch against the device's previous telemetry state.</summary>
    Delta = 1,

    /// <summary>"s": the device's whole telemetry state (first message, periodic, on request, or deltas merged onto a snapshot).</summary>
    Snapshot = 2,

    /// <summary>"p": a posture report or verdict, as the gateway wrote it.</summary>
    Posture = 3,

    /// <summary>"a": a security alert; never merged, never dropped while the reserve lasts.</summary>
    Alert = 4,

    /// <summary>"o": telemetry that is not a JSON object, forwarded whole (as JSON, or base64 when not JSON).</summary>
    Opaque = 5,
}

/// <summary>One pending record of the spool, in spool order.</summary>
/// <param name="Id">Position in the spool (increasing).</param>
/// <param name="DeviceId">The device it concerns.</param>
/// <param name="Sequence">The device's sequence number of this record (per device, from 1, never reused).</param>
/// <param name="FirstSequence">Equal to <paramref name="Sequence"/>, or the first sequence of the deltas merged into it.</param>
/// <param name="Kind">What it carries.</param>
/// <param name="AtMilliseconds">When the gateway received or made it (Unix milliseconds; the newest of merged records).</param>
/// <param name="Body">The JSON value (text).</param>
/// <param name="FullBytes">Bytes the device's messages had in full (what forwarding without deltas would send).</param>
public sealed record SpoolRecord(long Id, string DeviceId, long Sequence, long FirstSequence, SpoolRecordKind Kind, long AtMilliseconds, string Body, long FullBytes);
