using System;
using System.Net;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Core.Segmentation;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The gateway's policy file loader (YAML through YamlDotNet, then the allowlist checks). Every
/// schema reference reads one fixed schema, so mutations reach the schema path without touching
/// the file system. Oracle: whatever loads keeps the allowlist's security invariants — no
/// publish rule matches a downlink topic, and no rule matches or covers another device's topics;
/// with a segmentation section, the quarantine class reaches only the gateway, no endpoint lies
/// in a device segment, and the rendered nftables text touches only table inet iotsec and holds
/// nothing but the renderer's own characters (no injected rule).
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

        CheckSegmentation(policy);

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

    private static readonly DeviceAddress[] Devices =
    [
        new("dev-a", "sensor", IPAddress.Parse("10.20.1.2"), false),
        new("dev-b", "quarantine", IPAddress.Parse("10.20.1.3"), true),
        new("dev-c", "pump", IPAddress.Parse("2001:db8::2"), false),
    ];

    private static void CheckSegmentation(PolicyDocument policy)
    {
        if (policy.Segmentation is not { } zones)
        {
            return;
        }

        foreach (var rule in policy.QuarantineClass.NetworkRules)
        {
            if (rule.Service is null)
            {
                throw new InvalidOperationException($"the quarantine class reaches {rule}");
            }
        }

        foreach (var endpoint in zones.Endpoints)
        {
            foreach (var address in endpoint.Addresses)
            {
                if (zones.SegmentOf(address.BaseAddress) is { } segment)
                {
                    throw new InvalidOperationException($"endpoint {endpoint.Name} ({address}) lies in device segment {segment.Name}");
                }
            }
        }

        var text = NftablesRenderer.Render(policy, Devices).Ruleset;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (var c in line)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || " \t{}@._-,;:/\"=!".Contains(c, StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"rendered ruleset holds '{c}' in: {line}");
                }
            }

            if (line.Contains("table", StringComparison.Ordinal) && line.Trim() is not ("table inet iotsec" or "delete table inet iotsec" or "table inet iotsec {"))
            {
                throw new InvalidOperationException("rendered ruleset names another table: " + line);
            }
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is PolicyRejectedException;
}
