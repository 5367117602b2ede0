using System;
using System.IO;
using System.Text;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Testing;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>Policy files for the tests: the documented example, a small valid policy, and parsing helpers.</summary>
internal static class PolicyText
{
    /// <summary>docs/examples/policy.yaml: the tests load the documented example, so the docs cannot drift.</summary>
    public static string ExamplePath => RepositoryPaths.Combine("docs", "examples", "policy.yaml");

    /// <summary>
    /// A small valid policy. Class "sensor": heartbeat (QoS 0/1, 2/s burst 3), telemetry json
    /// (QoS 0, 512 B, 10/s burst 2), cbor posture, any on a custom tree, retain allowed on alert;
    /// subscribe down/#. Quarantine after 3 violations within 1 minute.
    /// </summary>
    public const string Small = """
        version: 1
        quarantine:
          class: quarantine
          threshold: 3
          window: 1min
        classes:
          sensor:
            heartbeat-interval: 30s
            firmware:
              - 1111111111111111111111111111111111111111111111111111111111111111
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [0, 1]
                rate: 2/s
                burst: 3
              - topic: iotsec/v1/d/{device}/up/telemetry
                payload: json
                max-size: 512
                qos: [0]
                rate: 10/s
                burst: 2
              - topic: iotsec/v1/d/{device}/up/posture
                payload: cbor
                max-size: 512
                qos: [1]
                rate: 10/s
                burst: 10
              - topic: iotsec/v1/d/{device}/up/alert
                payload: any
                max-size: 512
                qos: [1]
                retain: true
                rate: 10/s
                burst: 10
              - topic: site/{device}/+/reading
                payload: any
                max-size: 64
                qos: [0]
                rate: 10/s
                burst: 10
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]
              - topic: site/{device}/config/+
                qos: [1]
          quarantine:
            heartbeat-interval: 30s
            firmware: []
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [0, 1]
                rate: 2/s
                burst: 3
            subscribe:
              - topic: iotsec/v1/d/{device}/down/hb-ack
                qos: [0, 1]
              - topic: iotsec/v1/d/{device}/down/ota
                qos: [1]
        """;

    public static PolicyDocument Parse(string yaml, Func<string, string>? schemas = null) =>
        PolicyParser.Parse(Encoding.UTF8.GetBytes(yaml), "test.yaml", schemas);

    /// <summary>Parses a policy that must be refused, and returns its errors as "line:column: path: message" lines.</summary>
    public static string[] Errors(string yaml, Func<string, string>? schemas = null)
    {
        try
        {
            Parse(yaml, schemas);
        }
        catch (PolicyRejectedException e)
        {
            var lines = new string[e.Errors.Count];
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i] = e.Errors[i].ToString();
            }

            return lines;
        }

        throw new InvalidOperationException("the policy was accepted");
    }

    /// <summary><see cref="Small"/> with one line replaced (the line must occur once).</summary>
    public static string SmallWith(string line, string replacement)
    {
        if (Small.IndexOf(line, StringComparison.Ordinal) != Small.LastIndexOf(line, StringComparison.Ordinal) || !Small.Contains(line, StringComparison.Ordinal))
        {
            throw new ArgumentException("the line must occur exactly once: " + line);
        }

        return Small.Replace(line, replacement, StringComparison.Ordinal);
    }

    public static string WriteTemp(string directory, string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
