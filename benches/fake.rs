//! How fast the fake answers, in process and over HTTP, measured against targets.
//!
//! `cargo bench --bench fake` prints calls per second for a provisioning workload (create a
//! distro, a profile and systems with interfaces, read, search, remove) and exits non-zero when
//! a target is missed. For scale: a real cobblerd answers about 220 calls per second.

use std::sync::Arc;
use std::time::{Duration, Instant};

use provspec::cobbler::Kind;
use provspec::cobbler::boot_files::BootFiles;
use provspec::cobbler::entities::{Cobbler, InterfaceSpec};
use provspec::cobbler::fake::{FakeCobbler, server};
use provspec::cobbler::protocol::{HttpOptions, HttpTransport, Transport};
use provspec::cobbler::session::{Credentials, Session};

/// Systems per workload run.
const SYSTEMS: usize = 200;

/// (name, target calls per second).
const TARGETS: [(&str, f64); 2] = [("in process", 20_000.0), ("over HTTP", 1_500.0)];

/// Counts calls on their way to the transport.
#[derive(Debug)]
struct Counting {
    inner: Arc<dyn Transport>,
    calls: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl Transport for Counting {
    async fn call(
        &self,
        method: &str,
        args: Vec<provspec::cobbler::protocol::Value>,
    ) -> Result<provspec::cobbler::protocol::Value, provspec::cobbler::protocol::CallError> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.inner.call(method, args).await
    }

    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
}

async fn workload(api: &Cobbler, boot: &BootFiles, round: usize) {
    let distro = format!("bench-d{round}");
    let profile = format!("bench-p{round}");
    api.create(
        Kind::Distro,
        &distro,
        &[
            ("kernel".into(), boot.kernel()),
            ("initrd".into(), boot.initrd()),
        ],
        &[],
    )
    .await
    .expect("distro");
    api.create(
        Kind::Profile,
        &profile,
        &[("distro".into(), distro.clone())],
        &[],
    )
    .await
    .expect("profile");
    for i in 0..SYSTEMS {
        let name = format!("bench-s{round}-{i}");
        let iface = InterfaceSpec::new(
            "eth0",
            vec![(
                "mac_address".into(),
                format!(
                    "52:54:{:02x}:00:{:02x}:{:02x}",
                    round % 256,
                    i / 256,
                    i % 256
                ),
            )],
        )
        .expect("interface");
        api.create(
            Kind::System,
            &name,
            &[("profile".into(), profile.clone())],
            &[iface],
        )
        .await
        .expect("system");
        api.get(Kind::System, &name)
            .await
            .expect("get")
            .expect("exists");
    }
    let found = api
        .find(
            Kind::System,
            &[("name".into(), format!("bench-s{round}-*"))],
        )
        .await
        .expect("find");
    assert_eq!(found.len(), SYSTEMS);
    api.remove(Kind::Distro, &distro, true)
        .await
        .expect("remove");
}

async fn measure(name: &str, transport: Arc<dyn Transport>, boot: &BootFiles) -> f64 {
    let counting = Arc::new(Counting {
        inner: transport,
        calls: Default::default(),
    });
    let api = Cobbler::new(Arc::new(Session::new(
        counting.clone(),
        Credentials::new("cobbler", "cobbler"),
    )));
    workload(&api, boot, 0).await; // warm-up
    counting
        .calls
        .store(0, std::sync::atomic::Ordering::Relaxed);
    let started = Instant::now();
    let mut round = 1;
    while started.elapsed() < Duration::from_secs(2) {
        workload(&api, boot, round).await;
        round += 1;
    }
    let calls = counting.calls.load(std::sync::atomic::Ordering::Relaxed);
    let rate = calls as f64 / started.elapsed().as_secs_f64();
    println!(
        "{name:>10}: {calls} calls in {:.2?}: {rate:.0} calls/s",
        started.elapsed()
    );
    rate
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let missed = runtime.block_on(async {
        let boot = BootFiles::create_local().expect("boot files");
        let in_process = measure("in process", Arc::new(FakeCobbler::default()), &boot).await;

        let (listener, addr) = server::bind("127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("bind");
        tokio::spawn(server::serve(
            listener,
            FakeCobbler::default(),
            std::future::pending(),
        ));
        let http = HttpTransport::new(&format!("http://{addr}/"), HttpOptions::default())
            .expect("transport");
        let over_http = measure("over HTTP", Arc::new(http), &boot).await;

        let mut missed = 0;
        for ((name, target), rate) in TARGETS.iter().zip([in_process, over_http]) {
            let verdict = if rate >= *target {
                "meets"
            } else {
                missed += 1;
                "MISSES"
            };
            println!("{name:>10}: {verdict} the target of {target:.0} calls/s");
        }
        missed
    });
    if missed > 0 {
        std::process::exit(1);
    }
}
