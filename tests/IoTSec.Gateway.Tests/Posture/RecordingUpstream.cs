using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Tests.Posture;

/// <summary>
/// A stand-in for the forwarder's durable upstream queue (another helper's component): keeps
/// what was queued, or fails every enqueue when told to.
/// </summary>
internal sealed class RecordingUpstream : IUpstreamQueue
{
    private readonly ConcurrentQueue<UpstreamMessage> _messages = new();

    public bool Fail { get; set; }

    public void Enqueue(UpstreamMessage message)
    {
        if (Fail)
        {
            throw new InvalidOperationException("upstream spool is full (test)");
        }

        _messages.Enqueue(message);
    }

    public IReadOnlyList<JsonObject> Bodies(UpstreamKind kind) =>
        [.. _messages.Where(m => m.Kind == kind).Select(m => (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(m.Body.Span))!)];
}
