using System.Security.Cryptography;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>Serial numbers for issued certificates.</summary>
public static class CertificateSerialNumber
{
    /// <summary>Length of a serial number in bytes.</summary>
    public const int Length = 16;

    /// <summary>
    /// A random 16-byte positive serial (126 random bits). Random rather than sequential so
    /// serials reveal nothing about issuance volume and two gateways under one root (or a
    /// restored gateway) never collide; the top bit is clear so the INTEGER is positive, and
    /// the next bit set so it always encodes in exactly 16 bytes.
    /// </summary>
    public static byte[] NewRandom()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }
}
