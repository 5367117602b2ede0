namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// The gateway's own services a device may reach. A closed list on purpose: these are the
/// only flows the quarantine class may keep (enrolment, heartbeats over the broker, OTA).
/// </summary>
public enum GatewayService
{
    /// <summary>EST enrolment (HTTPS).</summary>
    Enrolment,

    /// <summary>The device broker (MQTT over mutual TLS): heartbeats, telemetry, commands.</summary>
    Broker,

    /// <summary>OTA downloads (HTTPS).</summary>
    Ota,
}
