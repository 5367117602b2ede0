namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>The transport protocols a device class may be allowed to use towards a named endpoint.</summary>
public enum NetworkProtocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,
}
