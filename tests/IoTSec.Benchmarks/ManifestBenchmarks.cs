using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Rsa;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace IoTSec.Benchmarks;

/// <summary>
/// Signed-manifest verification (ADR 0004): the portable PS256 verifier the device runs,
/// against .NET's RSA-PSS (OpenSSL) and against managed implementations (BouncyCastle, plain
/// JIT-compiled C#) of PS256 and of ES256 — the last being the measured stand-in for what an
/// ECDSA P-256 verification would cost in portable code.
/// </summary>
/// <remarks>
/// Per verification the portable code does 18 Montgomery products of 2k² + k word
/// multiplications each (k = 64 limbs for 2048 bits, 96 for 3072): 148,608 and 333,504
/// 32×32-bit multiply-accumulates. The ES256 benchmarks do not depend on <see cref="KeySize"/>.
/// </remarks>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private RSA? _rsa;
    private RsaPublicKey? _key;
    private ManifestVerifier? _verifier;
    private ManifestDeviceContext? _context;
    private PssSigner? _bcPss;
    private ECDsa? _ec;
    private ECPublicKeyParameters? _bcEcKey;
    private byte[] _envelope = [];
    private byte[] _toBeSigned = [];
    private byte[] _signature = [];
    private uint[] _signatureLimbs = [];
    private byte[] _ecSignature = [];
    private Org.BouncyCastle.Math.BigInteger? _ecR;
    private Org.BouncyCastle.Math.BigInteger? _ecS;
    private byte[] _ecHash = [];

    /// <summary>RSA modulus size in bits.</summary>
    [Params(2048, 3072)]
    public int KeySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(KeySize);
        _key = RsaPublicKey.FromModulusAndExponent(_rsa.ExportParameters(false).Modulus!, _rsa.ExportParameters(false).Exponent!);
        byte[] kid = [1];
        var vendor = new byte[16];
        var device = new byte[16];
        var image = new byte[64 * 1024];
        var manifest = new OtaManifest(2, vendor, device, "1.1.0", "1.0.0", 4_000_000_000, [new ManifestComponent(0, SHA256.HashData(image), image.Length)], "wave-1");
        var protectedHeader = CoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, ManifestContentTypes.Manifest, kid);
        var payload = manifest.Encode();
        _toBeSigned = CoseSign1.BuildToBeSigned(protectedHeader, [], payload);
        _signature = _rsa.SignData(_toBeSigned, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        _signatureLimbs = RsaPublicKey.BigEndianToLimbs(_signature, 0, _signature.Length, _key.Montgomery.LimbCount);
        _envelope = CoseSign1.Encode(protectedHeader, payload, _signature);
        _verifier = new ManifestVerifier([new CoseTrustedKey(kid, _key)], PortableDigests.Instance);
        _context = new ManifestDeviceContext(vendor, device, 1, "1.0.0", 1_800_000_000, 1 << 20, 0);

        var parameters = _rsa.ExportParameters(false);
        _bcPss = new PssSigner(new RsaEngine(), new Sha256Digest(), 32);
        _bcPss.Init(false, new RsaKeyParameters(false, new Org.BouncyCastle.Math.BigInteger(1, parameters.Modulus), new Org.BouncyCastle.Math.BigInteger(1, parameters.Exponent)));

        _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ecSignature = _ec.SignData(_toBeSigned, HashAlgorithmName.SHA256);
        _ecHash = SHA256.HashData(_toBeSigned);
        _ecR = new Org.BouncyCastle.Math.BigInteger(1, _ecSignature, 0, 32);
        _ecS = new Org.BouncyCastle.Math.BigInteger(1, _ecSignature, 32, 32);
        _bcEcKey = (ECPublicKeyParameters)PublicKeyFactory.CreateKey(_ec.ExportSubjectPublicKeyInfo());
        if (!Check())
        {
            throw new InvalidOperationException("a benchmark's verification fails");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "DotNet PS256 verify (OpenSSL)")]
    public bool DotNetPs256() => _rsa!.VerifyData(_toBeSigned, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    [Benchmark(Description = "Portable PS256 verify (Sig_structure)")]
    public PssVerificationResult PortablePs256() => RsaPssSha256.VerifyData(_key!, _toBeSigned, _signature);

    [Benchmark(Description = "Portable s^65537 mod n only")]
    public uint[] PortableModExp() => _key!.Montgomery.PowerF4(_signatureLimbs);

    [Benchmark(Description = "Portable manifest verify (envelope + checks)")]
    public OtaManifest PortableManifest() => _verifier!.Verify(_envelope, _context!);

    [Benchmark(Description = "BouncyCastle PS256 verify (managed)")]
    public bool BouncyCastlePs256()
    {
        _bcPss!.BlockUpdate(_toBeSigned, 0, _toBeSigned.Length);
        return _bcPss.VerifySignature(_signature);
    }

    [Benchmark(Description = "DotNet ES256 verify (OpenSSL)")]
    public bool DotNetEs256() => _ec!.VerifyData(_toBeSigned, _ecSignature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "BouncyCastle ES256 verify (managed)")]
    public bool BouncyCastleEs256()
    {
        var signer = new ECDsaSigner();
        signer.Init(false, _bcEcKey);
        return signer.VerifySignature(_ecHash, _ecR, _ecS);
    }

    private bool Check() =>
        DotNetPs256() && PortablePs256() == PssVerificationResult.Valid && BouncyCastlePs256() && DotNetEs256() && BouncyCastleEs256()
        && PortableManifest().SequenceNumber == 2;
}
