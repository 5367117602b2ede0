using System;
using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// The payload of a signed OTA manifest: a CBOR map modelled on the SUIT information
    /// model (RFC 9124) — version, anti-rollback sequence number, vendor and class ids,
    /// components with digest and size, firmware version, minimum running version, expiry,
    /// optional rollout id. docs/protocols/ota-manifest.md has the CDDL.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Decoding is strict: deterministic CBOR (RFC 8949 §4.2.1), every field typed and
    /// bounded, unknown keys refused (a field this decoder does not understand may be one
    /// the signer relies on, so it is not skipped), the version checked first. Decoding does
    /// not check the signature or the device's context: that is
    /// <see cref="ManifestVerifier"/>'s job.
    /// </para>
    /// <para>
    /// The sequence number is the anti-rollback counter (SUIT's sequence number, MCUboot's
    /// security counter): the device installs only a manifest whose sequence is greater than
    /// the counter it holds. The firmware version is for humans and for the minimum-version
    /// rule; it does not order releases, so a deliberate downgrade is a new release with a
    /// higher sequence number.
    /// </para>
    /// </remarks>
    public sealed class OtaManifest
    {
        /// <summary>The manifest format version this library writes and reads.</summary>
        public const int CurrentVersion = 1;

        /// <summary>Length of the vendor and class ids (RFC 4122 UUIDs as 16 bytes, as SUIT uses them).</summary>
        public const int IdLength = 16;

        /// <summary>Most components a manifest may list.</summary>
        public const int MaxComponents = 4;

        /// <summary>Longest rollout id, in characters.</summary>
        public const int MaxRolloutIdLength = 64;

        // Map keys (CDDL in docs/protocols/ota-manifest.md).
        private const int KeyVersion = 1;
        private const int KeySequence = 2;
        private const int KeyVendorId = 3;
        private const int KeyClassId = 4;
        private const int KeyFirmwareVersion = 5;
        private const int KeyMinimumRunningVersion = 6;
        private const int KeyExpiry = 7;
        private const int KeyComponents = 8;
        private const int KeyRolloutId = 9;

        private const int ComponentKeyId = 1;
        private const int ComponentKeyDigest = 2;
        private const int ComponentKeySize = 3;

        private readonly byte[] _vendorId;
        private readonly byte[] _classId;
        private readonly ManifestComponent[] _components;

        /// <summary>Describes a release (for the release tool and tests); every argument is validated.</summary>
        /// <param name="sequenceNumber">Anti-rollback counter value of this release.</param>
        /// <param name="vendorId">16-byte vendor UUID; copied.</param>
        /// <param name="classId">16-byte device-class UUID; copied.</param>
        /// <param name="firmwareVersion">Semver of the release.</param>
        /// <param name="minimumRunningVersion">Semver the running firmware must at least have.</param>
        /// <param name="expiresAt">Unix time (seconds) from which the manifest is no longer installed.</param>
        /// <param name="components">One to <see cref="MaxComponents"/> components with distinct ids; copied.</param>
        /// <param name="rolloutId">The rollout this release belongs to, or an empty string for none.</param>
        public OtaManifest(
            ulong sequenceNumber,
            byte[] vendorId,
            byte[] classId,
            string firmwareVersion,
            string minimumRunningVersion,
            long expiresAt,
            ManifestComponent[] components,
            string rolloutId)
        {
            CheckId(vendorId, nameof(vendorId));
            CheckId(classId, nameof(classId));
            if (!SemanticVersion.IsValid(firmwareVersion))
            {
                throw new ArgumentException("not a semantic version", nameof(firmwareVersion));
            }

            if (!SemanticVersion.IsValid(minimumRunningVersion))
            {
                throw new ArgumentException("not a semantic version", nameof(minimumRunningVersion));
            }

            if (expiresAt < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(expiresAt));
            }

            if (components == null)
            {
                throw new ArgumentNullException(nameof(components));
            }

            if (components.Length == 0 || components.Length > MaxComponents)
            {
                throw new ArgumentException("a manifest has 1 to " + MaxComponents.ToString() + " components", nameof(components));
            }

            for (int i = 0; i < components.Length; i++)
            {
                if (components[i] == null)
                {
                    throw new ArgumentException("component " + i.ToString() + " is null", nameof(components));
                }

                for (int j = 0; j < i; j++)
                {
                    if (components[j].ComponentId == components[i].ComponentId)
                    {
                        throw new ArgumentException("component ids must be distinct", nameof(components));
                    }
                }
            }

            if (rolloutId == null)
            {
                throw new ArgumentNullException(nameof(rolloutId));
            }

            if (rolloutId.Length > MaxRolloutIdLength)
            {
                throw new ArgumentException("a rollout id has at most " + MaxRolloutIdLength.ToString() + " characters", nameof(rolloutId));
            }

            SequenceNumber = sequenceNumber;
            _vendorId = CopyOf(vendorId);
            _classId = CopyOf(classId);
            FirmwareVersion = firmwareVersion;
            MinimumRunningVersion = minimumRunningVersion;
            ExpiresAt = expiresAt;
            _components = new ManifestComponent[components.Length];
            Array.Copy(components, _components, components.Length);
            RolloutId = rolloutId;
        }

        /// <summary>The manifest format version: always <see cref="CurrentVersion"/>.</summary>
        public int ManifestVersion
        {
            get { return CurrentVersion; }
        }

        /// <summary>The anti-rollback sequence number.</summary>
        public ulong SequenceNumber { get; }

        /// <summary>The firmware version (semver), for humans and the next minimum-version check.</summary>
        public string FirmwareVersion { get; }

        /// <summary>The lowest running firmware version (semver) allowed to install this release.</summary>
        public string MinimumRunningVersion { get; }

        /// <summary>Unix time in seconds from which the manifest is expired.</summary>
        public long ExpiresAt { get; }

        /// <summary>The rollout id, or an empty string.</summary>
        public string RolloutId { get; }

        /// <summary>Number of components.</summary>
        public int ComponentCount
        {
            get { return _components.Length; }
        }

        /// <summary>The component at <paramref name="index"/>.</summary>
        /// <param name="index">0 to <see cref="ComponentCount"/> - 1.</param>
        /// <returns>The component.</returns>
        public ManifestComponent GetComponent(int index)
        {
            if (index < 0 || index >= _components.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return _components[index];
        }

        /// <summary>The vendor id (a copy).</summary>
        /// <returns>A new 16-byte array.</returns>
        public byte[] GetVendorId()
        {
            return CopyOf(_vendorId);
        }

        /// <summary>The class id (a copy).</summary>
        /// <returns>A new 16-byte array.</returns>
        public byte[] GetClassId()
        {
            return CopyOf(_classId);
        }

        internal byte[] VendorId
        {
            get { return _vendorId; }
        }

        internal byte[] ClassId
        {
            get { return _classId; }
        }

        /// <summary>Encodes the manifest deterministically: the payload to sign.</summary>
        /// <returns>The CBOR encoding.</returns>
        public byte[] Encode()
        {
            CborWriter writer = new CborWriter(160 + (_components.Length * 48) + FirmwareVersion.Length + MinimumRunningVersion.Length + RolloutId.Length);
            writer.WriteStartMap(RolloutId.Length == 0 ? 8 : 9);
            writer.WriteInt32(KeyVersion);
            writer.WriteInt32(CurrentVersion);
            writer.WriteInt32(KeySequence);
            writer.WriteUInt64(SequenceNumber);
            writer.WriteInt32(KeyVendorId);
            writer.WriteByteString(_vendorId);
            writer.WriteInt32(KeyClassId);
            writer.WriteByteString(_classId);
            writer.WriteInt32(KeyFirmwareVersion);
            writer.WriteTextString(FirmwareVersion);
            writer.WriteInt32(KeyMinimumRunningVersion);
            writer.WriteTextString(MinimumRunningVersion);
            writer.WriteInt32(KeyExpiry);
            writer.WriteInt64(ExpiresAt);
            writer.WriteInt32(KeyComponents);
            writer.WriteStartArray(_components.Length);
            for (int i = 0; i < _components.Length; i++)
            {
                ManifestComponent component = _components[i];
                writer.WriteStartMap(3);
                writer.WriteInt32(ComponentKeyId);
                writer.WriteInt32(component.ComponentId);
                writer.WriteInt32(ComponentKeyDigest);
                writer.WriteStartArray(2);
                writer.WriteInt32(SuitDigestAlgorithms.Sha256);
                writer.WriteByteString(component.Digest);
                writer.WriteInt32(ComponentKeySize);
                writer.WriteInt64(component.Size);
            }

            if (RolloutId.Length != 0)
            {
                writer.WriteInt32(KeyRolloutId);
                writer.WriteTextString(RolloutId);
            }

            return writer.Encode();
        }

        /// <summary>
        /// Decodes a manifest payload that fills all of <paramref name="payload"/>. Checks
        /// the structure only, not the signature nor the device's context.
        /// </summary>
        /// <param name="payload">The deterministic CBOR encoding.</param>
        /// <returns>The manifest.</returns>
        /// <exception cref="ManifestRejectedException">
        /// <see cref="ManifestRejection.Malformed"/>, <see cref="ManifestRejection.UnsupportedManifestVersion"/>
        /// or <see cref="ManifestRejection.UnsupportedDigestAlgorithm"/>.
        /// </exception>
        public static OtaManifest Decode(byte[] payload)
        {
            if (payload == null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            try
            {
                return DecodeMap(new CborReader(payload));
            }
            catch (CborException ex)
            {
                throw Malformed(ex.Message);
            }
        }

        private static OtaManifest DecodeMap(CborReader reader)
        {
            if (reader.PeekState() != CborReaderState.StartMap)
            {
                throw Malformed("the manifest is not a map");
            }

            int pairs = reader.ReadStartMap();
            if (pairs == 0 || ReadKey(reader) != KeyVersion)
            {
                throw Malformed("the manifest does not start with its version (key 1)");
            }

            // The version comes first (smallest key) and decides how the rest is read.
            ulong version = ReadUnsigned(reader, "manifest-version");
            if (version != CurrentVersion)
            {
                throw new ManifestRejectedException(ManifestRejection.UnsupportedManifestVersion, "manifest version " + version.ToString() + " is not " + CurrentVersion.ToString());
            }

            ulong sequence = 0;
            byte[] vendorId = new byte[0];
            byte[] classId = new byte[0];
            string firmwareVersion = string.Empty;
            string minimumRunningVersion = string.Empty;
            long expiresAt = 0;
            ManifestComponent[] components = new ManifestComponent[0];
            string rolloutId = string.Empty;
            int seen = 1 << KeyVersion;

            for (int i = 1; i < pairs; i++)
            {
                // The deterministic reader has refused duplicate and out-of-order keys.
                int key = ReadKey(reader);
                switch (key)
                {
                    case KeySequence:
                        sequence = ReadUnsigned(reader, "sequence-number");
                        break;
                    case KeyVendorId:
                        vendorId = ReadFixedBytes(reader, IdLength, "vendor-id");
                        break;
                    case KeyClassId:
                        classId = ReadFixedBytes(reader, IdLength, "class-id");
                        break;
                    case KeyFirmwareVersion:
                        firmwareVersion = ReadVersion(reader, "firmware-version");
                        break;
                    case KeyMinimumRunningVersion:
                        minimumRunningVersion = ReadVersion(reader, "minimum-running-version");
                        break;
                    case KeyExpiry:
                        ulong expiry = ReadUnsigned(reader, "expiry");
                        if (expiry > long.MaxValue)
                        {
                            throw Malformed("expiry is out of range");
                        }

                        expiresAt = (long)expiry;
                        break;
                    case KeyComponents:
                        components = ReadComponents(reader);
                        break;
                    case KeyRolloutId:
                        rolloutId = ReadText(reader, "rollout-id");
                        if (rolloutId.Length == 0 || rolloutId.Length > MaxRolloutIdLength)
                        {
                            throw Malformed("rollout-id must have 1 to " + MaxRolloutIdLength.ToString() + " characters");
                        }

                        break;
                    default:
                        throw Malformed("unknown manifest key " + key.ToString());
                }

                seen |= 1 << key;
            }

            reader.ReadEndMap();
            reader.ReadEnd();

            // Keys 1 to 8 are required, 9 optional.
            const int Required = (1 << KeyVersion) | (1 << KeySequence) | (1 << KeyVendorId) | (1 << KeyClassId)
                | (1 << KeyFirmwareVersion) | (1 << KeyMinimumRunningVersion) | (1 << KeyExpiry) | (1 << KeyComponents);
            if ((seen & Required) != Required)
            {
                throw Malformed("a required manifest field is missing");
            }

            return new OtaManifest(sequence, vendorId, classId, firmwareVersion, minimumRunningVersion, expiresAt, components, rolloutId);
        }

        private static ManifestComponent[] ReadComponents(CborReader reader)
        {
            if (reader.PeekState() != CborReaderState.StartArray)
            {
                throw Malformed("components is not an array");
            }

            int count = reader.ReadStartArray();
            if (count == 0 || count > MaxComponents)
            {
                throw Malformed("a manifest has 1 to " + MaxComponents.ToString() + " components");
            }

            ManifestComponent[] components = new ManifestComponent[count];
            for (int i = 0; i < count; i++)
            {
                components[i] = ReadComponent(reader);
                for (int j = 0; j < i; j++)
                {
                    if (components[j].ComponentId == components[i].ComponentId)
                    {
                        throw Malformed("component id " + components[i].ComponentId.ToString() + " appears twice");
                    }
                }
            }

            reader.ReadEndArray();
            return components;
        }

        private static ManifestComponent ReadComponent(CborReader reader)
        {
            if (reader.PeekState() != CborReaderState.StartMap || reader.ReadStartMap() != 3)
            {
                throw Malformed("a component is a map of 3 entries");
            }

            if (ReadKey(reader) != ComponentKeyId)
            {
                throw Malformed("a component starts with its id (key 1)");
            }

            ulong id = ReadUnsigned(reader, "component-id");
            if (id > 0xFFFF)
            {
                throw Malformed("component-id is out of range");
            }

            if (ReadKey(reader) != ComponentKeyDigest)
            {
                throw Malformed("a component's digest (key 2) follows its id");
            }

            byte[] digest = ReadDigest(reader);

            if (ReadKey(reader) != ComponentKeySize)
            {
                throw Malformed("a component's size (key 3) follows its digest");
            }

            ulong size = ReadUnsigned(reader, "size");
            if (size > ManifestComponent.MaxSize)
            {
                throw Malformed("component size is out of range");
            }

            reader.ReadEndMap();
            return new ManifestComponent((int)id, digest, (long)size);
        }

        /// <summary>SUIT_Digest (RFC 9124 §8.4.2): [algorithm-id, bytes].</summary>
        private static byte[] ReadDigest(CborReader reader)
        {
            if (reader.PeekState() != CborReaderState.StartArray || reader.ReadStartArray() != 2)
            {
                throw Malformed("a digest is an array [algorithm-id, bytes]");
            }

            CborReaderState state = reader.PeekState();
            if (state != CborReaderState.NegativeInteger && state != CborReaderState.UnsignedInteger)
            {
                throw Malformed("digest algorithm-id is not an integer");
            }

            long algorithm = reader.ReadInt64();
            if (algorithm != SuitDigestAlgorithms.Sha256)
            {
                throw new ManifestRejectedException(ManifestRejection.UnsupportedDigestAlgorithm, "digest algorithm " + algorithm.ToString() + " is not SHA-256 (-16)");
            }

            byte[] digest = ReadFixedBytes(reader, ManifestComponent.DigestLength, "digest");
            reader.ReadEndArray();
            return digest;
        }

        /// <summary>A map key: a small unsigned integer (anything else is refused).</summary>
        private static int ReadKey(CborReader reader)
        {
            if (reader.PeekState() != CborReaderState.UnsignedInteger)
            {
                throw Malformed("a map key is not an unsigned integer");
            }

            ulong key = reader.ReadUInt64();
            return key > 30 ? 31 : (int)key;
        }

        private static ulong ReadUnsigned(CborReader reader, string field)
        {
            if (reader.PeekState() != CborReaderState.UnsignedInteger)
            {
                throw Malformed(field + " is not an unsigned integer");
            }

            return reader.ReadUInt64();
        }

        private static byte[] ReadFixedBytes(CborReader reader, int length, string field)
        {
            if (reader.PeekState() != CborReaderState.ByteString)
            {
                throw Malformed(field + " is not a byte string");
            }

            // The reader bounds the length by the input before allocating.
            byte[] value = reader.ReadByteString();
            if (value.Length != length)
            {
                throw Malformed(field + " has " + value.Length.ToString() + " bytes, not " + length.ToString());
            }

            return value;
        }

        private static string ReadText(CborReader reader, string field)
        {
            if (reader.PeekState() != CborReaderState.TextString)
            {
                throw Malformed(field + " is not a text string");
            }

            return reader.ReadTextString();
        }

        private static string ReadVersion(CborReader reader, string field)
        {
            string text = ReadText(reader, field);
            if (!SemanticVersion.IsValid(text))
            {
                throw Malformed(field + " \"" + text + "\" is not a semantic version");
            }

            return text;
        }

        private static void CheckId(byte[] id, string name)
        {
            if (id == null)
            {
                throw new ArgumentNullException(name);
            }

            if (id.Length != IdLength)
            {
                throw new ArgumentException("an id has 16 bytes", name);
            }
        }

        private static byte[] CopyOf(byte[] source)
        {
            byte[] copy = new byte[source.Length];
            Array.Copy(source, copy, source.Length);
            return copy;
        }

        private static ManifestRejectedException Malformed(string detail)
        {
            return new ManifestRejectedException(ManifestRejection.Malformed, detail);
        }
    }
}
