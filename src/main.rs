fn main() {
    std::process::exit(rulebook::cli::main());
}
