using System;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>One component of an OTA manifest: which image, its SHA-256 digest and its size in bytes.</summary>
    public sealed class ManifestComponent
    {
        /// <summary>Length of a SHA-256 digest.</summary>
        public const int DigestLength = 32;

        /// <summary>Largest size a component may declare (the CDDL's uint .size 4).</summary>
        public const long MaxSize = 0xFFFFFFFFL;

        private readonly byte[] _digest;

        /// <summary>Describes a component.</summary>
        /// <param name="componentId">A <see cref="ManifestComponentIds"/> value, 0 to 65535.</param>
        /// <param name="digest">SHA-256 of the image, 32 bytes; copied.</param>
        /// <param name="size">Image length in bytes, 0 to <see cref="MaxSize"/>.</param>
        public ManifestComponent(int componentId, byte[] digest, long size)
        {
            if (componentId < 0 || componentId > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(componentId));
            }

            if (digest == null)
            {
                throw new ArgumentNullException(nameof(digest));
            }

            if (digest.Length != DigestLength)
            {
                throw new ArgumentException("a SHA-256 digest has 32 bytes", nameof(digest));
            }

            if (size < 0 || size > MaxSize)
            {
                throw new ArgumentOutOfRangeException(nameof(size));
            }

            ComponentId = componentId;
            _digest = new byte[DigestLength];
            Array.Copy(digest, _digest, DigestLength);
            Size = size;
        }

        /// <summary>Which image: <see cref="ManifestComponentIds.ApplicationBundle"/> or <see cref="ManifestComponentIds.NativeImage"/>.</summary>
        public int ComponentId { get; }

        /// <summary>Image length in bytes.</summary>
        public long Size { get; }

        /// <summary>SHA-256 of the image (a copy).</summary>
        /// <returns>A new 32-byte array.</returns>
        public byte[] GetDigest()
        {
            byte[] copy = new byte[DigestLength];
            Array.Copy(_digest, copy, DigestLength);
            return copy;
        }

        /// <summary>The digest without copying, for this library.</summary>
        internal byte[] Digest
        {
            get { return _digest; }
        }
    }
}
