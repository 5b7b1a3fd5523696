fn main() {
    println!("srp-count counted {} arguments", std::env::args().count() - 1);
}
