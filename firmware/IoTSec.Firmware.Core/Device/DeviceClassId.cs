using System;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// The OTA class UUID of a device class name: a name-based UUID version 8 over SHA-256
    /// (RFC 9562 appendix B.2): the first 16 bytes of SHA-256(vendor UUID || class name in
    /// ASCII), with the version nibble set to 8 and the variant bits to 10. The release tool
    /// must derive the same id for the manifests it signs for that class.
    /// </summary>
    public static class DeviceClassId
    {
        /// <summary>Derives the class UUID.</summary>
        /// <param name="vendorId">The vendor UUID (16 bytes).</param>
        /// <param name="deviceClass">The provisioned device class (ASCII).</param>
        /// <param name="digests">SHA-256.</param>
        /// <returns>16 bytes.</returns>
        public static byte[] Derive(byte[] vendorId, string deviceClass, IDigestProvider digests)
        {
            if (vendorId == null || vendorId.Length != 16)
            {
                throw new ArgumentException("the vendor id is a 16-byte UUID", "vendorId");
            }

            if (deviceClass == null || deviceClass.Length == 0)
            {
                throw new ArgumentException("the device class is empty", "deviceClass");
            }

            byte[] name = new byte[16 + deviceClass.Length];
            Array.Copy(vendorId, 0, name, 0, 16);
            for (int i = 0; i < deviceClass.Length; i++)
            {
                name[16 + i] = (byte)deviceClass[i];
            }

            byte[] digest = new byte[32];
            IHashAlgorithm hash = digests.CreateSha256();
            try
            {
                hash.Update(name, 0, name.Length);
                hash.Final(digest, 0);
            }
            finally
            {
                hash.Dispose();
            }

            byte[] uuid = new byte[16];
            Array.Copy(digest, 0, uuid, 0, 16);
            uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80);
            uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
            return uuid;
        }
    }
}
