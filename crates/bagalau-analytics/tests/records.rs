//! Generated records name the bodies of the registry, so their counts can
//! be reported per body.

use bagalau_analytics::records::{LOCAL_AKIMATS, REGIONS, provider_in};

const REGISTRY: &str = include_str!("../../../data/registry/kz.toml");
const REGISTER: &str = include_str!("../../bagalau-demo/data/services/register.csv");

fn is_body(id: &str) -> bool {
    REGISTRY.contains(&format!("id = \"{id}\""))
}

#[test]
fn every_regions_akimat_is_a_body_of_the_registry() {
    for region in REGIONS {
        let body = provider_in(LOCAL_AKIMATS, region);
        assert!(is_body(&body), "{region}: {body} is not in the registry");
    }
    assert_eq!(provider_in("moj", "almaty"), "moj");
}

#[test]
fn every_provider_of_the_demo_register_is_a_body_or_the_akimats() {
    let register = bagalau_services::register::Register::from_csv(REGISTER).unwrap();
    for service in register.versions() {
        for p in &service.providers {
            assert!(
                p == LOCAL_AKIMATS || is_body(p),
                "{}: the provider {p} is not in the registry",
                service.id
            );
        }
    }
}
