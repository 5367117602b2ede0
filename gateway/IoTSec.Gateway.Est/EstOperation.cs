namespace IoTSec.Gateway.Est;

/// <summary>What a device asks of the EST service; each has its own authentication rule.</summary>
public enum EstOperation
{
    /// <summary>GET cacerts: any client the TLS layer accepted.</summary>
    CaCerts = 1,

    /// <summary>simpleenroll: the device's birth certificate only.</summary>
    SimpleEnroll = 2,

    /// <summary>simplereenroll: the device's current operational certificate only.</summary>
    SimpleReenroll = 3,

    /// <summary>serverkeygen: the birth certificate (first enrolment) or the current operational certificate (renewal).</summary>
    ServerKeyGen = 4,

    /// <summary>The heartbeat key: the device's current operational certificate only.</summary>
    HeartbeatKey = 5,

    /// <summary>GET the CRL of this gateway's intermediate (not EST: served on the same listener).</summary>
    Crl = 6,
}
