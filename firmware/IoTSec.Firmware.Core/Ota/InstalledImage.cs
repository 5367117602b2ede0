using System;
using IoTSec.Protocol.Manifest;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// What the device recorded about an image it wrote into a slot: the manifest's sequence
    /// number, the firmware version, and the size and SHA-256 it verified — what the boot
    /// selector checks the slot against before running it.
    /// </summary>
    public sealed class InstalledImage
    {
        /// <summary>Longest version string recorded.</summary>
        public const int MaxVersionLength = 64;

        private readonly byte[] _digest;

        /// <summary>Describes an image.</summary>
        /// <param name="sequenceNumber">The manifest sequence number it was installed under (0 for the factory image).</param>
        /// <param name="version">Its semantic version.</param>
        /// <param name="size">Its size in bytes.</param>
        /// <param name="digest">Its SHA-256 (copied).</param>
        public InstalledImage(ulong sequenceNumber, string version, long size, byte[] digest)
        {
            if (version == null || version.Length == 0 || version.Length > MaxVersionLength || !SemanticVersion.IsValid(version))
            {
                throw new ArgumentException("not a semantic version of at most 64 characters", "version");
            }

            if (size < 0 || size > ManifestComponent.MaxSize)
            {
                throw new ArgumentOutOfRangeException("size");
            }

            if (digest == null || digest.Length != ManifestComponent.DigestLength)
            {
                throw new ArgumentException("a SHA-256 digest has 32 bytes", "digest");
            }

            SequenceNumber = sequenceNumber;
            Version = version;
            Size = size;
            _digest = new byte[digest.Length];
            Array.Copy(digest, _digest, digest.Length);
        }

        /// <summary>The manifest sequence number it was installed under.</summary>
        public ulong SequenceNumber { get; private set; }

        /// <summary>Its semantic version.</summary>
        public string Version { get; private set; }

        /// <summary>Its size in bytes.</summary>
        public long Size { get; private set; }

        /// <summary>Its SHA-256 (a copy).</summary>
        /// <returns>32 bytes.</returns>
        public byte[] GetDigest()
        {
            byte[] copy = new byte[_digest.Length];
            Array.Copy(_digest, copy, _digest.Length);
            return copy;
        }

        internal byte[] Digest
        {
            get { return _digest; }
        }

        internal int EncodedLength
        {
            get { return 8 + 4 + 32 + 1 + Version.Length; }
        }

        internal int Encode(byte[] buffer, int offset)
        {
            BigEndian.PutUInt64(buffer, offset, SequenceNumber);
            BigEndian.PutUInt32(buffer, offset + 8, (uint)Size);
            Array.Copy(_digest, 0, buffer, offset + 12, 32);
            buffer[offset + 44] = (byte)Version.Length;
            byte[] version = OtaBytes.AsciiBytes(Version);
            Array.Copy(version, 0, buffer, offset + 45, version.Length);
            return offset + EncodedLength;
        }

        /// <summary>Decodes at <paramref name="offset"/>; null when the bytes are not an image record.</summary>
        internal static InstalledImage Decode(byte[] buffer, int offset, out int next)
        {
            next = offset;
            if (buffer.Length - offset < 45)
            {
                return null;
            }

            int versionLength = buffer[offset + 44];
            if (versionLength == 0 || versionLength > MaxVersionLength || buffer.Length - offset - 45 < versionLength)
            {
                return null;
            }

            for (int i = 0; i < versionLength; i++)
            {
                byte b = buffer[offset + 45 + i];
                if (b < 0x21 || b > 0x7E)
                {
                    return null;
                }
            }

            string version = OtaBytes.AsciiString(buffer, offset + 45, versionLength);
            if (!SemanticVersion.IsValid(version))
            {
                return null;
            }

            byte[] digest = new byte[32];
            Array.Copy(buffer, offset + 12, digest, 0, 32);
            next = offset + 45 + versionLength;
            return new InstalledImage(BigEndian.GetUInt64(buffer, offset), version, BigEndian.GetUInt32(buffer, offset + 8), digest);
        }
    }
}
