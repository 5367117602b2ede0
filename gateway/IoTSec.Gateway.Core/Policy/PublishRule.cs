using System;
using System.Buffers;
using System.Text.Json;
using IoTSec.Protocol.Cbor;
using Json.Schema;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// One publish rule of a device class: the topics it opens, what may be sent there (payload
/// type and size, QoS, retain) and how fast (a token bucket per device). Immutable once loaded.
/// </summary>
public sealed class PublishRule
{
    // Flag output: the cheapest evaluation, and no schema text reaches the audit log.
    private static readonly EvaluationOptions SchemaEvaluation = new() { OutputFormat = OutputFormat.Flag };

    internal PublishRule(int index, TopicPattern topic, PayloadType payload, int maxSize, int qosMask, bool retain, RateLimit rate, JsonSchema? schema, string? schemaFile)
    {
        Index = index;
        Topic = topic;
        Payload = payload;
        PayloadName = PayloadTypeNames.Of(payload);
        MaxSize = maxSize;
        QosMask = qosMask;
        Retain = retain;
        Rate = rate;
        Schema = schema;
        SchemaFile = schemaFile;
    }

    /// <summary>Position of the rule in its class's publish list (its token bucket's index).</summary>
    public int Index { get; }

    /// <summary>The topics the rule opens.</summary>
    public TopicPattern Topic { get; }

    /// <summary>The payload type.</summary>
    public PayloadType Payload { get; }

    /// <summary>The payload type's name.</summary>
    public string PayloadName { get; }

    /// <summary>Largest payload in bytes.</summary>
    public int MaxSize { get; }

    /// <summary>Allowed QoS levels as bits (bit n: QoS n).</summary>
    public int QosMask { get; }

    /// <summary>True when the retain flag may be set.</summary>
    public bool Retain { get; }

    /// <summary>Rate and burst per device.</summary>
    public RateLimit Rate { get; }

    /// <summary>The compiled JSON schema for <see cref="PayloadType.Json"/>, if the rule names one.</summary>
    public JsonSchema? Schema { get; }

    /// <summary>The schema file as written in the policy, if any.</summary>
    public string? SchemaFile { get; }

    /// <summary>True when QoS <paramref name="qos"/> is allowed.</summary>
    public bool AllowsQos(int qos) => qos is >= 0 and <= 2 && (QosMask & (1 << qos)) != 0;

    /// <summary>Checks <paramref name="payload"/> against the payload type; returns null when it conforms, else why not.</summary>
    public string? CheckPayload(ReadOnlySpan<byte> payload) => Payload switch
    {
        PayloadType.Json => CheckJson(payload),
        PayloadType.Cbor => CheckCbor(payload),
        _ => null,
    };

    private string? CheckJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            if (Schema is null)
            {
                // Well-formedness only: walk the tokens, no document is built.
                while (reader.Read())
                {
                }

                return reader.BytesConsumed == 0 ? "the payload is not JSON (empty)" : null;
            }

            var element = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                return "the payload holds more than one JSON value";
            }

            return Schema.Evaluate(element, SchemaEvaluation).IsValid ? null : "the JSON payload does not conform to the schema " + SchemaFile;
        }
        catch (JsonException)
        {
            return "the payload is not well-formed UTF-8 JSON";
        }
    }

    private static string? CheckCbor(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return "the payload is not CBOR (empty)";
        }

        // The shared decoder reads arrays; a pooled copy keeps the publish path free of garbage.
        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length);
        try
        {
            payload.CopyTo(buffer);
            var reader = new CborReader(buffer, 0, payload.Length, CborConformance.Lax);
            reader.SkipValue();
            reader.ReadEnd();
            return null;
        }
        catch (CborException e)
        {
            return "the payload is not one well-formed CBOR item (" + e.Reason + ")";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
