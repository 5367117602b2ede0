using System;
using System.Linq;
using System.Text;
using IoTSec.Gateway.Core.Policy;

namespace IoTSec.Gateway.Tests.Segmentation;

/// <summary>
/// The segmentation test policy: device segments iot-a 10.20.1.0/24 and 2001:db8:1::/64, iot-b 10.20.2.0/24,
/// upstream on up0, gateway services enrolment 8443 / broker 8883 / ota 8444, endpoints cloud
/// (10.30.0.10) and time (10.30.0.20). Class sensor: broker, enrolment, cloud tcp/443.
/// Class pump: broker, cloud tcp/8883, time udp/123. Quarantine: enrolment, broker, ota.
/// </summary>
internal static class SegmentationText
{
    public const string Policy = """
        version: 1
        quarantine:
          class: quarantine
          threshold: 3
          window: 1min
        segmentation:
          segments:
            field-a:
              interface: iot-a
              subnet: 10.20.1.0/24
            field-b:
              interface: iot-b
              subnet: 10.20.2.0/24
            field-a6:
              interface: iot-a
              subnet: 2001:db8:1::/64
          upstream:
            interface: up0
          gateway:
            enrolment: 8443
            broker: 8883
            ota: 8444
          endpoints:
            cloud:
              addresses: [10.30.0.10, 2001:db8:30::10]
            time:
              addresses: [10.30.0.20/32]
        classes:
          sensor:
            heartbeat-interval: 30s
            firmware: []
            publish: []
            subscribe: []
            network:
              - to: gateway
                service: broker
              - to: gateway
                service: enrolment
              - to: cloud
                protocol: tcp
                port: 443
          pump:
            heartbeat-interval: 30s
            firmware: []
            publish: []
            subscribe: []
            network:
              - to: gateway
                service: broker
              - to: cloud
                protocol: tcp
                port: 8883
              - to: time
                protocol: udp
                port: 123
          quarantine:
            heartbeat-interval: 30s
            firmware: []
            publish: []
            subscribe: []
            network:
              - to: gateway
                service: enrolment
              - to: gateway
                service: broker
              - to: gateway
                service: ota
        """;

    public static PolicyDocument Parse(string yaml) => PolicyParser.Parse(Encoding.UTF8.GetBytes(yaml), "segmentation.yaml", null);

    /// <summary><see cref="Policy"/> with one text replaced (it must occur exactly once).</summary>
    public static string With(string text, string replacement)
    {
        var first = Policy.IndexOf(text, StringComparison.Ordinal);
        if (first < 0 || first != Policy.LastIndexOf(text, StringComparison.Ordinal))
        {
            throw new ArgumentException("the text must occur exactly once: " + text);
        }

        return Policy.Replace(text, replacement, StringComparison.Ordinal);
    }

    public static string[] Errors(string yaml)
    {
        try
        {
            Parse(yaml);
        }
        catch (PolicyRejectedException e)
        {
            return [.. e.Errors.Select(error => error.ToString())];
        }

        throw new InvalidOperationException("the policy was accepted");
    }
}
