import { render } from '@testing-library/react';
import { TextDialog, reasonError, usePendingText } from '../../miniprogram/src/components/TextDialog';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { byId, fire, tap } from './dom';

type Run = (item: string, text: string) => Promise<string | false | null | void>;

/** A button opening a reason dialog for "item-1"; `run` decides what submitting does. */
function Harness({ run }: { run: Run }) {
  const dialog = usePendingText<string>();
  return (
    <>
      <button id="open" type="button" onClick={() => dialog.open('item-1')}>
        open
      </button>
      {dialog.bind ? (
        <TextDialog
          title="不通过"
          textLabel="理由"
          {...dialog.bind}
          max={200}
          busy={false}
          submitText="不通过"
          onSubmit={() => void dialog.submit((t) => reasonError(t, '请填写不通过的理由'), run)}
        />
      ) : null}
    </>
  );
}

async function openAndType(text: string) {
  await tap('open');
  fire('action-text', 'input', text);
}

test('the reason is checked before anything is sent, and typing clears the message', async () => {
  const run = jest.fn<ReturnType<Run>, Parameters<Run>>(async () => null);
  render(<Harness run={run} />);
  await openAndType(' 好 ');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
  expect(run).not.toHaveBeenCalled();
  fire('action-text', 'input', 'x'.repeat(201));
  expect(byId('action-dialog-error')).toBeNull();
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('理由最多 200 字');
});

test('success closes the dialog; the item and trimmed text are passed on', async () => {
  const run = jest.fn<ReturnType<Run>, Parameters<Run>>(async () => undefined);
  render(<Harness run={run} />);
  await openAndType('  材料不全  ');
  await tap('action-dialog-submit');
  expect(run).toHaveBeenCalledWith('item-1', '材料不全');
  expect(byId('action-text')).toBeNull();
});

test('a returned or thrown error stays in the dialog; false keeps it open without a message', async () => {
  let outcome: 'error' | 'throw' | 'false' = 'error';
  const run: Run = async () => {
    if (outcome === 'throw') throw new ApiCallError({ code: 'INTERNAL', message: '网络不稳定，请重试' });
    return outcome === 'error' ? '已经处理过了' : false;
  };
  render(<Harness run={run} />);
  await openAndType('材料不全');
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('已经处理过了');
  outcome = 'throw';
  await tap('action-dialog-submit');
  expect(byId('action-dialog-error')).toHaveTextContent('网络不稳定，请重试');
  outcome = 'false';
  fire('action-text', 'input', '材料不全');
  await tap('action-dialog-submit');
  expect(byId('action-text')).not.toBeNull();
  expect(byId('action-dialog-error')).toBeNull();
});
