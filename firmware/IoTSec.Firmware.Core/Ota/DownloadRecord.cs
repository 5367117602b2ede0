using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// The download in progress, persisted in <see cref="RecordName"/> so that a reboot resumes
    /// it: the signed manifest (re-verified on resume), the resource, and the target slot. How
    /// far it got is the target slot file's length: the flash contract guarantees a torn write
    /// leaves a prefix of the right bytes, and the digest over the whole image is checked anyway.
    /// </summary>
    /// <remarks>Layout: format (1) | target slot | resource length (u16 BE) | resource (ASCII) | envelope length (u16 BE) | envelope.</remarks>
    internal sealed class DownloadRecord
    {
        public const string RecordName = "ota-download";

        /// <summary>Longest resource path accepted (the OTA offer's path rule allows 256).</summary>
        public const int MaxResourceLength = 256;

        private const byte FormatVersion = 1;

        public DownloadRecord(FirmwareSlot target, string resource, byte[] envelope)
        {
            Target = target;
            Resource = resource;
            Envelope = envelope;
        }

        public FirmwareSlot Target { get; private set; }

        public string Resource { get; private set; }

        public byte[] Envelope { get; private set; }

        public static DownloadRecord Read(IFlashStore flash)
        {
            byte[] payload = new RecordStore(flash, RecordName).Read();
            if (payload == null || payload.Length < 6 || payload[0] != FormatVersion || payload[1] > 1)
            {
                return null;
            }

            int resourceLength = BigEndian.GetUInt16(payload, 2);
            if (resourceLength == 0 || resourceLength > MaxResourceLength || payload.Length < 6 + resourceLength)
            {
                return null;
            }

            int envelopeLength = BigEndian.GetUInt16(payload, 4 + resourceLength);
            if (envelopeLength == 0 || envelopeLength > ManifestVerifier.MaxEnvelopeLength || payload.Length != 6 + resourceLength + envelopeLength)
            {
                return null;
            }

            byte[] envelope = new byte[envelopeLength];
            Array.Copy(payload, 6 + resourceLength, envelope, 0, envelopeLength);
            return new DownloadRecord((FirmwareSlot)payload[1], OtaBytes.AsciiString(payload, 4, resourceLength), envelope);
        }

        public void Write(IFlashStore flash)
        {
            byte[] resource = OtaBytes.AsciiBytes(Resource);
            byte[] payload = new byte[6 + resource.Length + Envelope.Length];
            payload[0] = FormatVersion;
            payload[1] = (byte)Target;
            BigEndian.PutUInt16(payload, 2, resource.Length);
            Array.Copy(resource, 0, payload, 4, resource.Length);
            BigEndian.PutUInt16(payload, 4 + resource.Length, Envelope.Length);
            Array.Copy(Envelope, 0, payload, 6 + resource.Length, Envelope.Length);
            new RecordStore(flash, RecordName).Write(payload);
        }

        public static void Erase(IFlashStore flash)
        {
            new RecordStore(flash, RecordName).Erase();
        }
    }
}
