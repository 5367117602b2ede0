using System;
using IoTSec.Gateway.Core.Policy;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The gateway's policy file loader (YAML through YamlDotNet, then the allowlist checks). Every
/// schema reference reads one fixed schema, so mutations reach the schema path without touching
/// the file system. Oracle: whatever loads keeps the allowlist's security invariants — no
/// publish rule matches a downlink topic, and no rule matches or covers another device's topics.
/// </summary>
public sealed class PolicyFuzzTarget : FuzzTarget
{
    private const string Device = "dev-a";
    private const string OtherDevice = "dev-b";
    private static readonly string[] OwnDownlinks = ["iotsec/v1/d/dev-a/down/cmd", "iotsec/v1/d/dev-a/down/ota", "iotsec/v1/d/dev-a/down/hb-ack", "iotsec/v1/d/dev-a/down"];
    private static readonly string[] OtherTopics = ["iotsec/v1/d/dev-b/up/telemetry", "iotsec/v1/d/dev-b/up/heartbeat", "iotsec/v1/d/dev-b/down/cmd"];

    public override string Name => "policy";

    protected override void Decode(byte[] input)
    {
        var policy = PolicyParser.Parse(input, "fuzz.yaml", _ => """{ "type": "object", "properties": { "t": { "type": "number" } } }""");
        if (policy.QuarantineClass is null || policy.Find(policy.Quarantine.ClassName) is null)
        {
            throw new InvalidOperationException("an accepted policy has no quarantine class");
        }

        foreach (var (name, rules) in policy.Classes)
        {
            foreach (var rule in rules.PublishRules)
            {
                foreach (var topic in OwnDownlinks)
                {
                    if (rule.Topic.Matches(topic, Device))
                    {
                        throw new InvalidOperationException($"class {name}: publish rule '{rule.Topic}' matches downlink topic {topic}");
                    }
                }

                foreach (var topic in OtherTopics)
                {
                    if (rule.Topic.Matches(topic, Device))
                    {
                        throw new InvalidOperationException($"class {name}: publish rule '{rule.Topic}' matches {OtherDevice}'s topic {topic}");
                    }
                }
            }

            foreach (var rule in rules.SubscribeRules)
            {
                foreach (var topic in OtherTopics)
                {
                    if (rule.Topic.Covers(topic, Device) || rule.Topic.Matches(topic, Device))
                    {
                        throw new InvalidOperationException($"class {name}: subscribe rule '{rule.Topic}' reaches {OtherDevice}'s topic {topic}");
                    }
                }
            }
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is PolicyRejectedException;
}
