namespace IoTSec.Gateway.Core.Policy;

/// <summary>What a publish rule lets through as payload; the broker routes by it (<see cref="Edge.TrafficDecision.PayloadType"/>).</summary>
public enum PayloadType
{
    /// <summary>A heartbeat: routed to the posture service, which verifies it with the shared heartbeat code (MAC, chain, digest).</summary>
    Heartbeat = 1,

    /// <summary>UTF-8 JSON, well formed; checked against the rule's JSON schema when it names one.</summary>
    Json = 2,

    /// <summary>One CBOR data item, well formed per the shared CBOR decoder.</summary>
    Cbor = 3,

    /// <summary>Not inspected (size, rate, QoS and retain still apply).</summary>
    Any = 4,
}

/// <summary>The names of <see cref="PayloadType"/> in policy files and decisions.</summary>
public static class PayloadTypeNames
{
    /// <summary>"heartbeat".</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>"json".</summary>
    public const string Json = "json";

    /// <summary>"cbor".</summary>
    public const string Cbor = "cbor";

    /// <summary>"any".</summary>
    public const string Any = "any";

    /// <summary>The name of <paramref name="type"/> (one interned string per type: no allocation on the publish path).</summary>
    public static string Of(PayloadType type) => type switch
    {
        PayloadType.Heartbeat => Heartbeat,
        PayloadType.Json => Json,
        PayloadType.Cbor => Cbor,
        _ => Any,
    };

    /// <summary>Parses a name from a policy file.</summary>
    public static bool TryParse(string name, out PayloadType type)
    {
        type = name switch
        {
            Heartbeat => PayloadType.Heartbeat,
            Json => PayloadType.Json,
            Cbor => PayloadType.Cbor,
            Any => PayloadType.Any,
            _ => 0,
        };
        return type != 0;
    }
}
