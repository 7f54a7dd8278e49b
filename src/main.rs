// mimalloc for the binary only (the library leaves the allocator to its user): a case read,
// decided and written allocates and frees a few dozen blocks, and glibc's malloc spent about a
// tenth of a batch's instructions on them (issue 12).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(rulebook::cli::main());
}
