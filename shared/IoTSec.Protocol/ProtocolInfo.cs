namespace IoTSec.Protocol
{
    /// <summary>Version of the wire contract this library speaks.</summary>
    public static class ProtocolInfo
    {
        /// <summary>Major version of the protocol; a device and a gateway must agree on it.</summary>
        public const int Version = 1;
    }
}
