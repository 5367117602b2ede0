using System.Collections.Generic;
using System.Diagnostics.Metrics;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// The broker's instruments on the gateway's meter. Counters on the publish path take no tags
/// or one pre-built tag, so counting costs no allocation per message.
/// </summary>
internal static class BrokerMetrics
{
    /// <summary>Name of the refused-connections counter (label "reason": a <see cref="ConnectionRefusals.CodeOf"/> code).</summary>
    public const string ConnectionsRefusedName = "iotsec_broker_connections_refused_total";

    /// <summary>Name of the accepted-connections counter.</summary>
    public const string ConnectionsAcceptedName = "iotsec_broker_connections_accepted_total";

    /// <summary>Name of the counter of device messages the broker took in (label "route": heartbeat, upstream, broker).</summary>
    public const string MessagesName = "iotsec_broker_messages_total";

    /// <summary>Name of the counter of device messages dropped by the allowlist (label "violation").</summary>
    public const string MessagesDroppedName = "iotsec_broker_messages_dropped_total";

    /// <summary>Name of the counter of subscriptions refused by the allowlist.</summary>
    public const string SubscriptionsRefusedName = "iotsec_broker_subscriptions_refused_total";

    /// <summary>Name of the counter of live sessions dropped because their device was revoked.</summary>
    public const string RevokedSessionsName = "iotsec_broker_revoked_sessions_dropped_total";

    public static readonly Counter<long> ConnectionsRefused = GatewayMeter.Instance.CreateCounter<long>(ConnectionsRefusedName, description: "Broker connections refused, by reason");

    public static readonly Counter<long> ConnectionsAccepted = GatewayMeter.Instance.CreateCounter<long>(ConnectionsAcceptedName, description: "Broker connections accepted");

    public static readonly Counter<long> Messages = GatewayMeter.Instance.CreateCounter<long>(MessagesName, description: "Device messages the allowlist let in, by route");

    public static readonly Counter<long> MessagesDropped = GatewayMeter.Instance.CreateCounter<long>(MessagesDroppedName, description: "Device messages dropped by the allowlist, by violation");

    public static readonly Counter<long> SubscriptionsRefused = GatewayMeter.Instance.CreateCounter<long>(SubscriptionsRefusedName, description: "Device subscriptions refused by the allowlist");

    public static readonly Counter<long> RevokedSessionsDropped = GatewayMeter.Instance.CreateCounter<long>(RevokedSessionsName, description: "Live sessions dropped on revocation");

    public static readonly KeyValuePair<string, object?> HeartbeatRoute = new("route", "heartbeat");

    public static readonly KeyValuePair<string, object?> UpstreamRoute = new("route", "upstream");

    public static readonly KeyValuePair<string, object?> BrokerRoute = new("route", "broker");
}
