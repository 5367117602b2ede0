using System;
using System.Collections.Generic;
using System.Text.Json;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Forwarder;

/// <summary>Why a snapshot request from upstream was refused.</summary>
public enum SnapshotRequestRejection
{
    /// <summary>Larger than <see cref="SnapshotRequest.MaxBytes"/>.</summary>
    TooLarge = 1,

    /// <summary>Not JSON, or not an object.</summary>
    Malformed = 2,

    /// <summary>No "snapshot" member, or one that is neither "*" nor an array of device ids.</summary>
    MissingSnapshot = 3,

    /// <summary>A device id that is not 1-64 characters of [A-Za-z0-9._-].</summary>
    InvalidDeviceId = 4,

    /// <summary>More than <see cref="SnapshotRequest.MaxDevices"/> ids.</summary>
    TooManyDevices = 5,
}

/// <summary>A refused snapshot request, with the reason.</summary>
public sealed class SnapshotRequestRejectedException : Exception
{
    /// <summary>Creates it.</summary>
    public SnapshotRequestRejectedException(SnapshotRequestRejection reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>Creates it.</summary>
    public SnapshotRequestRejectedException()
        : this(SnapshotRequestRejection.Malformed, "malformed snapshot request")
    {
    }

    /// <summary>Creates it.</summary>
    public SnapshotRequestRejectedException(string message)
        : this(SnapshotRequestRejection.Malformed, message)
    {
    }

    /// <summary>Creates it.</summary>
    public SnapshotRequestRejectedException(string message, Exception innerException)
        : this(SnapshotRequestRejection.Malformed, message, innerException)
    {
    }

    /// <summary>Why.</summary>
    public SnapshotRequestRejection Reason { get; }
}

/// <summary>
/// What upstream asks for on the request topic so it can resync: <c>{"snapshot":"*"}</c> (every
/// device) or <c>{"snapshot":["dev-1","dev-2"]}</c>. Outside input: bounded and checked.
/// </summary>
public sealed class SnapshotRequest
{
    /// <summary>Largest request accepted.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Most device ids in one request.</summary>
    public const int MaxDevices = 5000;

    private SnapshotRequest(IReadOnlyList<string>? devices)
    {
        Devices = devices;
    }

    /// <summary>The devices named; null: every device.</summary>
    public IReadOnlyList<string>? Devices { get; }

    /// <summary>Parses a request.</summary>
    /// <exception cref="SnapshotRequestRejectedException">Refused; the reason says why.</exception>
    public static SnapshotRequest Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxBytes)
        {
            throw new SnapshotRequestRejectedException(SnapshotRequestRejection.TooLarge, $"snapshot request of {payload.Length} bytes (at most {MaxBytes})");
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SnapshotRequestRejectedException(SnapshotRequestRejection.Malformed, "a snapshot request is a JSON object");
            }

            if (!root.TryGetProperty("snapshot", out var snapshot))
            {
                throw new SnapshotRequestRejectedException(SnapshotRequestRejection.MissingSnapshot, "no \"snapshot\" member");
            }

            if (snapshot.ValueKind == JsonValueKind.String && snapshot.ValueEquals("*"))
            {
                return new SnapshotRequest(null);
            }

            if (snapshot.ValueKind != JsonValueKind.Array)
            {
                throw new SnapshotRequestRejectedException(SnapshotRequestRejection.MissingSnapshot, "\"snapshot\" is \"*\" or an array of device ids");
            }

            if (snapshot.GetArrayLength() > MaxDevices)
            {
                throw new SnapshotRequestRejectedException(SnapshotRequestRejection.TooManyDevices, $"{snapshot.GetArrayLength()} device ids (at most {MaxDevices})");
            }

            var devices = new List<string>();
            foreach (var item in snapshot.EnumerateArray())
            {
                var id = item.ValueKind == JsonValueKind.String ? Text(item) : null;
                if (id is null || !DeviceId.IsValid(id))
                {
                    throw new SnapshotRequestRejectedException(SnapshotRequestRejection.InvalidDeviceId, $"item {devices.Count} of \"snapshot\" is not a device id (1-64 characters of [A-Za-z0-9._-])");
                }

                devices.Add(id);
            }

            return new SnapshotRequest(devices);
        }
        catch (JsonException e)
        {
            throw new SnapshotRequestRejectedException(SnapshotRequestRejection.Malformed, "not JSON: " + e.Message, e);
        }
    }

    // The reader checks a string's structure, not its UTF-8: invalid bytes inside the quotes
    // surface only when it is decoded (found by fuzzing: InvalidOperationException).
    private static string? Text(JsonElement item)
    {
        try
        {
            return item.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
