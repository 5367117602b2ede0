using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using IoTSec.Gateway.Core.Keys;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>
/// Signing from several threads at once: tpm2-openssl 1.1.1 has no locking, and one key used
/// from two threads fails with "Esys called in bad sequence" unless calls are serialized.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TpmConcurrentSigningTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EightThreadsSignWithOneKeyAndBothKeysAtOnce()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.Identity);
        store.Create(GatewayKeyRole.DeviceCa);
        using var identity = store.Open(GatewayKeyRole.Identity);
        using var deviceCa = store.Open(GatewayKeyRole.DeviceCa);
        const int threads = 8;
        const int signaturesPerThread = 40;
        var failures = new ConcurrentQueue<string>();
        using var start = new Barrier(threads);

        // Dedicated threads, not the thread pool: the pool injects threads slowly, and the
        // barrier needs all eight running at once.
        void Sign(int thread)
        {
            // Even threads share the identity key, odd ones the CA key: one handle from
            // several threads, and two handles (one provider context) at once.
            var key = thread % 2 == 0 ? identity : deviceCa;
            start.SignalAndWait();
            for (var i = 0; i < signaturesPerThread; i++)
            {
                var data = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"thread {thread} message {i}"));
                try
                {
                    var signature = key.SignData(data, HashAlgorithmName.SHA256);
                    if (!key.VerifyData(data, signature, HashAlgorithmName.SHA256))
                    {
                        failures.Enqueue($"thread {thread} message {i}: signature does not verify");
                    }
                }
                catch (CryptographicException e)
                {
                    failures.Enqueue($"thread {thread} message {i}: {e.Message}");
                }
            }
        }

        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var thread = t;
            workers[t] = new Thread(() => Sign(thread)) { IsBackground = true };
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            Assert.IsTrue(worker.Join(TimeSpan.FromSeconds(60)), "a signing thread hung");
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
    }

    [TestMethod]
    public void SignaturesPerSecondThroughTheProvider()
    {
        using var store = TpmTestSupport.NewStoreOnSharedTpm();
        store.Create(GatewayKeyRole.DeviceCa);
        using var key = store.Open(GatewayKeyRole.DeviceCa);
        var digest = SHA256.HashData("a certificate's tbsCertificate"u8);
        key.SignHash(digest); // first use: provider and key contexts are set up

        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            key.SignHash(digest);
            count++;
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ECDSA P-256 signatures through the OpenSSL tpm2 provider (tpm2-abrmd, software TPM): {count} in {clock.Elapsed.TotalSeconds:F2} s = {rate:F0}/s"));
        Assert.IsGreaterThan(0, count);
    }
}
