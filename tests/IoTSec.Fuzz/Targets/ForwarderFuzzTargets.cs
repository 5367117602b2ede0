using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Forwarder;

namespace IoTSec.Fuzz.Targets;

/// <summary>The upstream forwarder's parsers of outside input (issue 6).</summary>
public static class ForwarderFuzzTargets
{
    public static FuzzTarget[] All { get; } = [new SnapshotRequestFuzzTarget(), new TelemetryDeltaFuzzTarget()];
}

/// <summary>
/// A snapshot request from the upstream broker (request topic). Oracle: an accepted request
/// names every device (null) or only valid ids, at most MaxDevices of them.
/// </summary>
public sealed class SnapshotRequestFuzzTarget : FuzzTarget
{
    public override string Name => "snapshot-request";

    protected override void Decode(byte[] input)
    {
        var request = SnapshotRequest.Parse(input);
        if (request.Devices is { } devices && (devices.Count > SnapshotRequest.MaxDevices || devices.Count == 0 && input.Length < 14))
        {
            throw new InvalidOperationException("an accepted snapshot request breaks its bounds");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is SnapshotRequestRejectedException;
}

/// <summary>
/// A device's telemetry as the spool reduces it to a merge patch (RFC 7396). Oracle: the diff
/// from nothing and back to nothing round-trips: Apply({}, Diff({}, doc)) equals the document
/// without null members, and Apply(doc, Diff(doc, {})) is empty.
/// </summary>
public sealed class TelemetryDeltaFuzzTarget : FuzzTarget
{
    public override string Name => "telemetry-delta";

    protected override void Decode(byte[] input)
    {
        // The spool's own reading of a device payload (null: not JSON, forwarded opaque).
        if (UpstreamSpool.Parse(input) is not JsonObject sample)
        {
            return;
        }

        var state = (JsonObject)MergePatch.Apply(null, sample)!;
        var rebuilt = MergePatch.Apply(new JsonObject(), MergePatch.Diff(new JsonObject(), state));
        if (!JsonNode.DeepEquals(state, rebuilt))
        {
            throw new InvalidOperationException("a diff from an empty state does not rebuild the sample");
        }

        if (MergePatch.Apply(state, MergePatch.Diff(state, new JsonObject())) is not JsonObject { Count: 0 })
        {
            throw new InvalidOperationException("a diff to an empty state does not empty it");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is JsonException;
}
